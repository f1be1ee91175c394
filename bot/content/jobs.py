"""Publish and rollback as background jobs, so the web page can show each stage as it happens."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

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
    """At most one publish or rollback at a time per process; the latest job is remembered.

    With `job_file` (in the publish folder every gateway replica shares) each change of the
    job is written there too, so an editor whose page asks another replica sees the same job.
    """

    def __init__(self, publisher_factory: Callable[[], Publisher],
                 job_file: Path | None = None) -> None:
        self._publisher_factory = publisher_factory
        self._lock = threading.Lock()
        self._job_file = job_file
        self._latest: Job | None = None

    @property
    def latest(self) -> Job | None:
        if self._job_file is not None and self._job_file.is_file():
            try:
                return Job(**json.loads(self._job_file.read_text(encoding="utf-8")))
            except (ValueError, TypeError):
                pass  # being replaced this instant: this replica's own view will do
        return self._latest

    def start(self, kind: str, started_by: str) -> Job:
        with self._lock:
            if self._latest is not None and self._latest.status == "running":
                raise PublishBusy("A publish is already running; wait for it to finish.")
            job = Job(kind, started_by)
            self._latest = job
            self._share(job)
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
            self._share(job)

        try:
            publisher = self._publisher_factory()
            if job.kind == "rollback":
                publisher.rollback(progress)
            else:
                publisher.publish(progress)
        except ContentError as exc:
            job.error = str(exc)
            job.status = "failed"
            self._share(job)
            return
        except Exception as exc:  # noqa: BLE001 - shown to the editor, never lost silently
            job.error = (f"Something went wrong ({type(exc).__name__}); "
                         "the live version is unchanged.")
            job.status = "failed"
            self._share(job)
            raise
        job.status = "passed"
        self._share(job)

    def _share(self, job: Job) -> None:
        if self._job_file is None:
            return
        self._job_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._job_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(job.as_dict()), encoding="utf-8")
        os.replace(temporary, self._job_file)
