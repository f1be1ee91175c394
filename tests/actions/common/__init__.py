"""Tests of actions/common/."""
