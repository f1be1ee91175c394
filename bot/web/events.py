"""Live-event pokes between the code that changes data and the SSE streams that show it.

A poke carries no data: a stream that is poked re-reads the database after its last event id,
so a lost or duplicated poke can never lose or repeat a message. With `redis_url` set, pokes
travel through Redis pub/sub so every gateway replica wakes its own streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from typing import Any

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "councilbot:gateway:"
QUEUE_TOPIC = "queue"


def conversation_topic(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Broker:
    """In-process pokes. `publish` may be called from worker threads; waiting is async."""

    def __init__(self) -> None:
        # Held only while some stream waits on it: a conversation nobody watches costs nothing.
        self._events: weakref.WeakValueDictionary[str, asyncio.Event] = (
            weakref.WeakValueDictionary())
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    def publish(self, topic: str) -> None:
        self._fire_threadsafe(topic)

    def _fire_threadsafe(self, topic: str) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._fire, topic)

    def _fire(self, topic: str) -> None:
        # Replace the event before setting it, so waiters that start later wait for the next poke.
        event = self._events.pop(topic, None)
        if event is not None:
            event.set()

    def watch(self, topic: str) -> asyncio.Event:
        """Take this before reading the database; it is set by any poke after that moment."""
        event = self._events.get(topic)
        if event is None:
            event = self._events[topic] = asyncio.Event()
        return event


class RedisBroker(Broker):
    """Pokes fanned out to every replica through Redis pub/sub."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._task: asyncio.Task | None = None
        self._publisher: Any = None

    async def start(self) -> None:
        import redis

        await super().start()
        self._publisher = redis.Redis.from_url(self._url)
        self._task = asyncio.create_task(self._relay())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await super().stop()

    def publish(self, topic: str) -> None:
        try:
            self._publisher.publish(CHANNEL_PREFIX + topic, b"1")
        except Exception:  # noqa: BLE001 - streams still re-check on their heartbeat
            log.warning("could not publish a live-event poke to Redis; streams will poll")
            self._fire_threadsafe(topic)

    async def _relay(self) -> None:
        import redis.asyncio as aioredis

        while True:
            try:
                client = aioredis.Redis.from_url(self._url)
                pubsub = client.pubsub()
                await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                async for item in pubsub.listen():
                    if item.get("type") == "pmessage":
                        channel = item["channel"].decode()
                        self._fire(channel[len(CHANNEL_PREFIX):])
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - reconnect; streams poll meanwhile
                log.warning("lost the Redis live-event subscription; reconnecting")
                await asyncio.sleep(1)


def make_broker(redis_url: str) -> Broker:
    return RedisBroker(redis_url) if redis_url else Broker()
