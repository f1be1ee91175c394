"""Tests of actions/rough_sleeping/."""
