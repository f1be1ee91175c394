"""Builds the stub back-office app: routers, auth, idempotency, fault injection, demo data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy.engine import Engine

from bot.backoffice.deps import require_service_token
from bot.backoffice.faults import FaultMiddleware, Faults
from bot.backoffice.idempotency import IdempotencyMiddleware
from bot.backoffice.models import Base
from bot.backoffice.routes import (
    address,
    admin,
    council_tax,
    council_tax_changes,
    rough_sleeping,
    waste,
)
from bot.backoffice.seed import seed_demo_council
from bot.db import make_engine, make_session_factory, session_scope
from bot.http.body_limit import BodyLimitMiddleware
from bot.http.clock import LondonClock
from bot.http.problems import install_problem_handlers
from bot.privacy.schedule import purging
from bot.privacy.service import backoffice_job
from bot.settings import Settings, get_settings

SERVICE_ROUTERS = [address.router, rough_sleeping.router, waste.router, council_tax.router,
                   council_tax_changes.router]


def prepare_database(engine: Engine, clock: LondonClock) -> None:
    """Tables and the demo council (`councilbot migrate`, or at start on one machine)."""
    Base.metadata.create_all(engine)
    with session_scope(make_session_factory(engine)) as session:
        seed_demo_council(session, clock.today())


def create_app(settings: Settings | None = None, clock: LondonClock | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.require_secrets("backoffice")
    clock = clock or LondonClock()
    engine = make_engine(settings.backoffice_database_url)
    session_factory = make_session_factory(engine)
    if settings.migrate_on_start:
        prepare_database(engine, clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with purging(settings.privacy_purge_every_minutes,
                           backoffice_job(session_factory, settings, clock.now)):
            yield

    app = FastAPI(
        lifespan=lifespan,
        title="Anytown Borough Council back office (stub)",
        version="1.0",
        description="Address, waste, council tax and rough sleeping systems. "
        "Every route but /health needs `Authorization: Bearer <service token>`; "
        "writes accept an `Idempotency-Key` header.",
    )
    app.state.service_token = settings.backoffice_token.get_secret_value()
    app.state.session_factory = session_factory
    app.state.engine = engine
    app.state.settings = settings
    app.state.clock = clock
    app.state.faults = Faults()
    install_problem_handlers(app)
    # Added last, so it runs first: a faulty system fails before it touches any data.
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(FaultMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.include_router(admin.router)
    if settings.backoffice_test_switches:
        app.include_router(admin.test_switches)
    for router in SERVICE_ROUTERS:
        app.include_router(router, dependencies=[Depends(require_service_token)])
    return app
