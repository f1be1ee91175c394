"""Tests mirroring bot/rasa/components/."""
