"""Tests mirroring bot/."""
