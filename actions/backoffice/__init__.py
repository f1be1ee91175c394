"""Clients for the council's back-office systems, one module per area, built once per process.

Clients are synchronous (`requests`); actions call them through `run_blocking` so the
action server's event loop never waits on the network. Actions get their client from the
factories here (`waste_client()`, ...), which build each one on first use and then reuse it,
so its `requests.Session` keeps its connections open. Tests that point the clients at
another back office call `reset_clients()` after changing the environment.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from actions.backoffice._client import BackOfficeClient
from actions.backoffice.address import AddressClient
from actions.backoffice.config import BackOfficeConfig
from actions.backoffice.council_tax import CouncilTaxClient
from actions.backoffice.rough_sleeping import RoughSleepingClient
from actions.backoffice.waste import WasteClient

T = TypeVar("T")
C = TypeVar("C", bound=BackOfficeClient)
# A nice-to-have lookup must never hold up urgent advice: at most this long, and no retries.
QUICK_READ_TIMEOUT = 2.0


async def run_blocking(call: Callable[..., T], *args: object, **kwargs: object) -> T:
    return await asyncio.to_thread(call, *args, **kwargs)


@functools.cache
def backoffice_config() -> BackOfficeConfig:
    """The process's back-office settings, read from the environment once."""
    return BackOfficeConfig.from_env()


@functools.cache
def shared_client(cls: type[C], *, quick: bool = False) -> C:
    """The process's one client of `cls`; `quick` is a second one that gives up fast."""
    config = backoffice_config()
    if quick:
        config = replace(config, read_timeout=min(config.read_timeout, QUICK_READ_TIMEOUT),
                         retries=0)
    return cls(config)


def reset_clients() -> None:
    """Forget the settings and clients built so far; the next use reads the environment."""
    shared_client.cache_clear()
    backoffice_config.cache_clear()


def address_client() -> AddressClient:
    return shared_client(AddressClient)


def waste_client() -> WasteClient:
    return shared_client(WasteClient)


def council_tax_client() -> CouncilTaxClient:
    return shared_client(CouncilTaxClient)


def rough_sleeping_client(quick: bool = False) -> RoughSleepingClient:
    return shared_client(RoughSleepingClient, quick=quick)
