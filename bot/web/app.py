"""Builds the web gateway: resident chat API, widget, demo council page and staff console."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.content.jobs import PublishJobs
from bot.content.publish import Publisher
from bot.content.redaction import load_recogniser
from bot.db import make_engine, make_session_factory
from bot.http.body_limit import BodyLimitMiddleware
from bot.migrations import require_head, upgrade_to_head
from bot.privacy.schedule import purging
from bot.privacy.service import gateway_job
from bot.settings import Settings, get_settings
from bot.web.clock import Clock
from bot.web.errors import install_error_handlers
from bot.web.events import make_broker
from bot.web.page_errors import install_page_error_handlers
from bot.web.rasa import RasaClient
from bot.web.ratelimit import RateLimiter
from bot.web.routes import chat, content, insights, model_server, pages, privacy, staff, staff_auth
from bot.web.runtime import Runtime
from bot.web.security import SecurityHeadersMiddleware
from bot.web.services import demo
from bot.web.services.chat import answer_held_messages

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.require_secrets("gateway")
    engine = make_engine(settings.database_url)
    if settings.migrate_on_start:
        upgrade_to_head(engine)
    else:
        require_head(engine)
    runtime = Runtime(
        settings=settings,
        clock=clock or Clock(),
        session_factory=make_session_factory(engine),
        broker=make_broker(settings.redis_url),
        rasa=RasaClient(settings.rasa_url, settings.rasa_token.get_secret_value(),
                        settings.rasa_timeout_seconds,
                        api_token=settings.rasa_api_token.get_secret_value()),
        limiter=RateLimiter(settings.redis_url),
    )
    if settings.migrate_on_start:
        demo.seed(runtime)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # spaCy takes seconds to load: do it before serving, not on a resident's first
        # "Not helpful" (content inbox redaction), and off the event loop.
        await asyncio.to_thread(load_recogniser)
        await runtime.broker.start()
        await asyncio.to_thread(answer_held_messages, runtime)
        async with purging(settings.privacy_purge_every_minutes,
                           gateway_job(settings, engine, runtime.clock.now)):
            yield
        await runtime.broker.stop()
        runtime.rasa.close()

    app = FastAPI(
        title="Anytown Borough Council web chat",
        version="1.0",
        description="Residents' chat API (widget) and the staff console.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.engine = engine
    app.state.content_jobs = PublishJobs(lambda: Publisher(settings),
                                         Publisher(settings).work_dir / "job.json")
    install_error_handlers(app)
    install_page_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware, hsts_seconds=settings.hsts_seconds)
    # The widget talks to the API from the council's pages on other origins, with a bearer
    # token (never cookies), so credentials stay off and staff routes gain nothing from CORS.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[o.strip() for o in settings.widget_allowed_origins.split(",")
                       if o.strip()],
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        allow_credentials=False,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       limits={"/api/": settings.chat_max_body_bytes})
    if settings.trusted_proxies.strip():
        # Added last, so it runs first: rate limits, audit and HSTS see the resident's
        # address and scheme, not the load balancer's.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.include_router(chat.router)
    app.include_router(privacy.router)
    app.include_router(staff_auth.router)
    app.include_router(insights.router)  # before staff: /staff/insights is not a case
    app.include_router(staff.router)
    app.include_router(content.router)  # content editors' studio (bot/content)
    app.include_router(pages.router)
    app.include_router(model_server.router)  # Rasa replicas pull the live model here
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
