"""Tests of actions/waste/."""
