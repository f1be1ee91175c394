"""Tests of actions/council_tax/."""
