"""Whole-stack suites: the real back office, action server and Rasa, talked to over HTTP."""
