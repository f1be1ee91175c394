"""Bin journeys: bin day, missed bins, bulky waste, containers and which bin."""
