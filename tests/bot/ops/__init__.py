"""Tests mirroring bot/ops/."""
