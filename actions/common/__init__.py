"""Helpers every service's actions share: forms, parsing, handoff, redaction, payloads."""
