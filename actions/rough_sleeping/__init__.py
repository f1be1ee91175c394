"""Rough sleeping reports and urgent help for residents who are homeless."""
