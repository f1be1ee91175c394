"""Alembic migrations for the gateway's tables."""
