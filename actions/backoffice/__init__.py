"""Clients for the council's back-office systems, one module per area.

Clients are synchronous (`requests`); actions call them through `run_blocking` so the
action server's event loop never waits on the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def run_blocking(call: Callable[..., T], *args: object, **kwargs: object) -> T:
    return await asyncio.to_thread(call, *args, **kwargs)
