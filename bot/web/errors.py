"""The gateway's refusals: the shared `{"error": {...}}` shape and the gateway's own codes."""

from __future__ import annotations

from bot.http.problems import Problem
from bot.http.problems import install_problem_handlers as install_error_handlers

__all__ = ["Problem", "install_error_handlers", "not_found"]


def not_found(what: str = "conversation") -> Problem:
    return Problem(404, "not_found", f"No such {what}.")
