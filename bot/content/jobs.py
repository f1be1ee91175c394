"""Publish and rollback as background jobs, so the web page can show each stage as it happens."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from bot.content.authoring import ContentError
from bot.content.publish import Progress, PublishBusy, Publisher, PublishState


@dataclass
class Job:
    kind: str  # "publish" or "rollback"
    started_by: str
    started_at: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    status: str = "running"  # running, passed, failed
    stages: list[dict] = field(default_factory=list)
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class PublishJobs:
    """At most one publish or rollback at a time per process; the latest job is remembered."""

    def __init__(self, publisher_factory: Callable[[], Publisher]) -> None:
        self._publisher_factory = publisher_factory
        self._lock = threading.Lock()
        self.latest: Job | None = None

    def start(self, kind: str, started_by: str) -> Job:
        with self._lock:
            if self.latest is not None and self.latest.status == "running":
                raise PublishBusy("A publish is already running; wait for it to finish.")
            job = Job(kind, started_by)
            self.latest = job
        thread = threading.Thread(target=self._run, args=(job,), name=f"content-{kind}",
                                  daemon=True)
        thread.start()
        return job

    def state(self) -> PublishState:
        return self._publisher_factory().state()

    def _run(self, job: Job) -> None:
        def progress(step: Progress) -> None:
            entry = {"stage": step.stage, "title": step.title, "status": step.status,
                     "detail": step.detail}
            if job.stages and job.stages[-1]["stage"] == step.stage:
                job.stages[-1] = entry
            else:
                job.stages.append(entry)

        try:
            publisher = self._publisher_factory()
            if job.kind == "rollback":
                publisher.rollback(progress)
            else:
                publisher.publish(progress)
        except ContentError as exc:
            job.error = str(exc)
            job.status = "failed"
            return
        except Exception as exc:  # noqa: BLE001 - shown to the editor, never lost silently
            job.error = (f"Something went wrong ({type(exc).__name__}); "
                         "the live version is unchanged.")
            job.status = "failed"
            raise
        job.status = "passed"
