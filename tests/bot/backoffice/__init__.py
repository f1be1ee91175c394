"""Tests mirroring bot/backoffice/."""
