"""The stub council back office: a real HTTP service standing in for the council's systems."""
