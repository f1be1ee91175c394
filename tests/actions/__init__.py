"""Tests mirroring actions/."""
