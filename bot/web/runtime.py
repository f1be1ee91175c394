"""What every gateway service needs at run time, built once per app in `create_app`."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from bot.db import session_scope
from bot.settings import Settings
from bot.web.clock import Clock
from bot.web.events import Broker
from bot.web.rasa import RasaClient
from bot.web.ratelimit import RateLimiter
from bot.web.services.held import HeldMessages
from bot.web.services.welcome import WelcomeCache


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    session_factory: sessionmaker
    broker: Broker
    rasa: RasaClient
    limiter: RateLimiter
    held: HeldMessages = field(init=False)
    welcome: WelcomeCache = field(default_factory=WelcomeCache)

    def __post_init__(self) -> None:
        self.held = HeldMessages(self.session_factory)

    def transaction(self) -> AbstractContextManager[Session]:
        return session_scope(self.session_factory)
