"""Operational routes: health, and the switches tests use (faults, a pinned clock), which the
app serves only when BACKOFFICE_TEST_SWITCHES is on."""

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from bot.backoffice.deps import get_clock, require_service_token
from bot.backoffice.faults import Faults
from bot.http.clock import LondonClock

router = APIRouter()
test_switches = APIRouter()


@router.get("/health", tags=["admin"])
def health() -> dict:
    return {"status": "ok"}


@test_switches.get("/_admin/faults", response_model=Faults, tags=["admin"],
            dependencies=[Depends(require_service_token)])
def read_faults(request: Request) -> Faults:
    return request.app.state.faults


@test_switches.put("/_admin/faults", response_model=Faults, tags=["admin"],
            dependencies=[Depends(require_service_token)])
def set_faults(faults: Faults, request: Request) -> Faults:
    """Switch on added latency, a random error rate or a full outage; PUT zeros to clear."""
    request.app.state.faults = faults
    return faults


class ClockSetting(BaseModel):
    now: datetime | None = None


@test_switches.put("/_admin/clock", response_model=ClockSetting, tags=["admin"],
            dependencies=[Depends(require_service_token)])
def pin_clock(setting: ClockSetting, clock: LondonClock = Depends(get_clock)) -> ClockSetting:
    """Pin the back office's local time (naive UK time), or unpin it with `null`."""
    clock.pinned = setting.now.replace(tzinfo=None) if setting.now else None
    return ClockSetting(now=clock.now())
