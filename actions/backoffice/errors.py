"""Errors the back-office clients raise; actions catch only these.

    BackOfficeError
     ├── BackOfficeUnavailable    cannot be reached, outage, 5xx (try later, offer staff)
     │    └── BackOfficeTimeout   no answer within the read or connect timeout
     ├── BackOfficeRejected       the system refused the request (4xx), with its code/message
     │    └── BackOfficeNotFound  the thing asked about does not exist (404)
     └── BackOfficeAuthError      our service token was refused (a configuration fault)
"""

from __future__ import annotations


class BackOfficeError(Exception):
    """Any failure talking to the council's back-office systems."""


class BackOfficeUnavailable(BackOfficeError):
    """The system could not be reached or failed on its side."""


class BackOfficeTimeout(BackOfficeUnavailable):
    """The system did not answer in time."""


class BackOfficeAuthError(BackOfficeError):
    """The system refused our credentials."""


class BackOfficeRejected(BackOfficeError):
    """The system refused the request; `code` says why in the system's own words."""

    def __init__(self, code: str, message: str, status_code: int, details: dict | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status_code = status_code
        self.details = details or {}


class BackOfficeNotFound(BackOfficeRejected):
    """The thing asked about does not exist."""
