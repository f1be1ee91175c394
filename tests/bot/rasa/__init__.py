"""Tests mirroring bot/rasa/."""
