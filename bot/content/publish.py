"""Publishing: check, train and test a candidate model, then swap it into the running Rasa server.

One machine: the Rasa server is told to load the file (`PUT /model`). Several replicas
(endpoints.scale.yml): the publish state names the live model, the gateway serves it to every
replica that pulls (bot/web/routes/model_server.py), and the publish is done once every
replica in `rasa_replica_urls` answers with it; if one does not, the previous one goes back.
Nothing reaches residents unless every stage passes. Candidates are trained outside the models
folder, so a Rasa restart (which loads the newest model there) never picks up an untested one.
The model that was live before a publish is kept, and `rollback` swaps it back in one step.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bot.content import baseline
from bot.content.authoring import ContentEditor, ContentError, project_dir
from bot.content.rasa_tools import RasaReplicas, RasaServer, RasaServerError, model_id, run_rasa
from bot.content.store import ContentSet
from bot.rasa.environment import pulls_models
from bot.rasa.model_files import model_path
from bot.settings import Settings

UNCHANGED_EXAMPLES = "no example changed, so questions are recognised as before"
STAGE_TITLES = {
    "check": "Checking the content",
    "train": "Training the assistant",
    "test_nlu": "Testing that questions are recognised",
    "test_stories": "Testing the conversations",
    "load": "Putting the new version live",
    "rollback": "Putting the previous version back",
}
MODEL_PREFIX = "published-"


@dataclass(frozen=True)
class Progress:
    """One step of a publish, for a progress display: status is started, passed or failed."""

    stage: str
    status: str
    detail: str = ""

    @property
    def title(self) -> str:
        return STAGE_TITLES[self.stage]


ProgressCallback = Callable[[Progress], None]


class PublishFailed(ContentError):
    """A stage failed; the live model is as it was."""

    status = 409

    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"{STAGE_TITLES[stage]} failed: {detail}")
        self.stage = stage
        self.detail = detail


class PublishBusy(ContentError):
    status = 409


@dataclass
class PublishState:
    """Which published models are live and previous (file names inside the models folder)."""

    live: str = ""
    previous: str = ""
    published_at: str = ""


def _no_progress(_: Progress) -> None:
    return None


class Publisher:
    def __init__(self, settings: Settings, server: RasaServer | None = None,
                 editor: ContentEditor | None = None) -> None:
        self.settings = settings
        self.root = project_dir(settings)
        self.server = server or RasaServer.from_settings(settings)
        self.editor = editor or ContentEditor(settings, self.root)
        models = Path(settings.models_dir)
        self.models_dir = models if models.is_absolute() else self.root / models
        self.work_dir = Path(settings.var_dir).resolve() / "content" / "publish"
        self.state_file = self.work_dir / "state.json"

    # Public --------------------------------------------------------------------------------

    def state(self) -> PublishState:
        if not self.state_file.is_file():
            return PublishState()
        return PublishState(**json.loads(self.state_file.read_text(encoding="utf-8")))

    def live_model(self) -> Path | None:
        """The published live model, else the newest in the models folder (what Rasa loads)."""
        live = self.state().live
        if live and (self.models_dir / live).is_file():
            return self.models_dir / live
        models = sorted(self.models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        return models[-1] if models else None

    def publish(self, progress: ProgressCallback = _no_progress, dry_run: bool = False
                ) -> PublishState:
        """Check, train, test and load; a dry run stops before loading and keeps nothing."""
        with self._exclusive():
            run_dir = self.work_dir / datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            run_dir.mkdir(parents=True)
            self._stage("check", progress, lambda: self._check(run_dir))
            candidate = self._stage("train", progress, lambda: self._train(run_dir))
            if self._examples_changed():
                self._stage("test_nlu", progress, lambda: self._test_nlu(candidate, run_dir))
            else:
                progress(Progress("test_nlu", "passed", UNCHANGED_EXAMPLES))
            self._stage("test_stories", progress, lambda: self._test_stories(candidate, run_dir))
            if dry_run:
                shutil.rmtree(run_dir)
                return self.state()
            return self._stage("load", progress, lambda: self._load(candidate, run_dir))

    def go_live(self, model_file: Path, progress: ProgressCallback = _no_progress
                ) -> PublishState:
        """Put a model trained and tested elsewhere live: only the last stage of `publish`.

        Its content is unknown, so the next publish judges changes against the shipped data.
        """
        with self._exclusive():
            run_dir = self.work_dir / datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            run_dir.mkdir(parents=True)
            candidate = run_dir / "candidate.tar.gz"
            shutil.copy(model_file, candidate)
            return self._stage("load", progress, lambda: self._load(candidate, run_dir))

    def rollback(self, progress: ProgressCallback = _no_progress) -> PublishState:
        """Swap the previous model back in (rolling back twice swaps forward again)."""
        with self._exclusive():
            state = self.state()
            if not state.previous or not (self.models_dir / state.previous).is_file():
                raise PublishFailed("rollback", "there is no previous version to go back to.")
            return self._stage("rollback", progress, lambda: self._swap_to(state))

    # Stages --------------------------------------------------------------------------------

    def _stage(self, stage: str, progress: ProgressCallback, work: Callable):  # type: ignore[no-untyped-def]
        progress(Progress(stage, "started"))
        try:
            result = work()
        except PublishFailed as exc:
            progress(Progress(stage, "failed", exc.detail))
            raise
        except RasaServerError as exc:
            progress(Progress(stage, "failed", str(exc)))
            raise PublishFailed(stage, str(exc)) from exc
        progress(Progress(stage, "passed", result if isinstance(result, str) else ""))
        return result

    def _check(self, run_dir: Path) -> str:
        # What changed since the live (or shipped) content, and Rasa's own validation.
        baseline.save_snapshot(self.editor.store, run_dir / "content")
        problems, blocking = baseline.judge(self.root, self._live_snapshot(),
                                            self.editor.store.load(), self.editor.checks)
        if not blocking:
            rasa_problems = [p for p in self.editor.check(rasa=True, fast=False)
                             if p not in problems]
            problems += rasa_problems
            blocking = rasa_problems
        if blocking:
            raise PublishFailed("check", " ".join(p.message for p in blocking[:5]))
        return f"{len(problems)} warning(s) in other intents" if problems else "no problems"

    def _examples_changed(self) -> bool:
        # Recognition depends only on the examples and the pipeline: when neither changed since
        # the live (or shipped) content, the cross-check would repeat the last one's result.
        before = baseline.published_or_shipped(self.root, self._live_snapshot())
        if before is None or not baseline.pipeline_is_committed(self.root):
            return True
        return _examples(before) != _examples(self.editor.store.load())

    def _train(self, run_dir: Path) -> Path:
        candidate = run_dir / "candidate.tar.gz"
        trained = model_path(self.settings, self.root)
        if trained.is_file():  # `councilbot train` already trained exactly this content
            shutil.copy(trained, candidate)
            return candidate
        run = run_rasa(
            self.settings,
            ["train", "--data", "data", "--domain", "domain.yml", "--config", "config.yml",
             "--out", str(run_dir), "--fixed-model-name", "candidate"],
            cwd=self.root, log_file=run_dir / "train.log",
            timeout=self.settings.content_train_timeout_seconds,
        )
        if not run.ok or not candidate.is_file():
            raise PublishFailed("train", " ".join(run.error_lines(3)))
        return candidate

    def _test_nlu(self, candidate: Path, run_dir: Path) -> str:
        results = run_dir / "nlu-results"
        run = run_rasa(
            self.settings,
            ["test", "nlu", "--nlu", "data", "--model", str(candidate), "--out", str(results),
             "--no-plot"],
            cwd=self.root, log_file=run_dir / "test-nlu.log",
            timeout=self.settings.content_train_timeout_seconds,
        )
        if not run.ok:
            raise PublishFailed("test_nlu", " ".join(run.error_lines(3)))
        minimum = self.settings.content_min_intent_f1
        scores = []
        for report in ("intent_report.json", "response_selection_report.json"):
            path = results / report
            if not path.is_file():
                continue
            body = json.loads(path.read_text(encoding="utf-8"))
            score = body.get("weighted avg", {}).get("f1-score", 0.0)
            scores.append(score)
            if score < minimum:
                worst = sorted(
                    (v.get("f1-score", 0.0), k) for k, v in body.items()
                    if isinstance(v, dict) and "support" in v and k not in _AVERAGES
                )[:3]
                names = ", ".join(f"{name} ({f1:.2f})" for f1, name in worst)
                raise PublishFailed(
                    "test_nlu",
                    f"questions are recognised too rarely (score {score:.2f}, needs {minimum:.2f});"
                    f" most confused: {names}.",
                )
        if not scores:
            raise PublishFailed("test_nlu", "Rasa wrote no test report.")
        return f"score {min(scores):.2f}"

    def _test_stories(self, candidate: Path, run_dir: Path) -> str:
        stories = self.root / "tests" / "stories"
        if not stories.is_dir() or not any(stories.glob("*.yml")):
            return "no conversation tests"
        results = run_dir / "story-results"
        run = run_rasa(
            self.settings,
            # Without --fail-on-prediction-errors Rasa runs every story and writes the failed
            # ones to a file, so the editor learns which conversations broke, not just one.
            ["test", "core", "--stories", str(stories), "--model", str(candidate), "--out",
             str(results), "--no-plot"],
            cwd=self.root, log_file=run_dir / "test-stories.log",
            timeout=self.settings.content_train_timeout_seconds,
        )
        failed = results / "failed_test_stories.yml"
        if not run.ok or (failed.is_file() and "- story:" in failed.read_text(encoding="utf-8")):
            stories_failed = _failed_story_names(failed)
            detail = (f"these conversations no longer work: {', '.join(stories_failed)}."
                      if stories_failed else " ".join(run.error_lines(3)))
            raise PublishFailed("test_stories", detail)
        # Rasa prints "Correct: n / n" for whole conversations, then for their steps.
        counts = re.findall(r"Correct:\s+\d+ / (\d+)", run.output)
        if len(counts) >= 2:
            return f"all {counts[0]} conversations passed ({counts[1]} steps)"
        return "all conversations passed"

    def _load(self, candidate: Path, run_dir: Path) -> PublishState:
        before = self.state()
        live = self.live_model()
        previous = live.name if live and self._pulls else self.server.loaded_model()
        self.models_dir.mkdir(parents=True, exist_ok=True)
        name = f"{MODEL_PREFIX}{run_dir.name}.tar.gz"
        published = self.models_dir / name
        shutil.move(str(candidate), published)
        state = PublishState(live=name, previous=previous,
                             published_at=datetime.now().isoformat(timespec="seconds"))
        try:
            if self._pulls:
                self._save_state(state)  # the model server offers it from now on
                self._replicas.wait_for(model_id(published))
            else:
                self.server.load_model(published)
                if self.server.loaded_model() != name:
                    raise RasaServerError("the Rasa server did not switch to the new model")
        except RasaServerError:
            self._save_state(before)  # replicas that switched pull the previous one back
            # Out of the models folder, so a restart cannot load it either.
            shutil.move(str(published), run_dir / "candidate.tar.gz")
            raise
        baseline.keep_snapshot(run_dir / "content", self._snapshot_dir(name))
        self._save_state(state)
        self._prune(keep={name, previous})
        return state

    def _swap_to(self, state: PublishState) -> PublishState:
        target = self.models_dir / state.previous
        swapped = PublishState(live=state.previous, previous=state.live,
                               published_at=datetime.now().isoformat(timespec="seconds"))
        if self._pulls:
            self._save_state(swapped)
            try:
                self._replicas.wait_for(model_id(target))
            except RasaServerError:
                self._save_state(state)
                raise
        else:
            self.server.load_model(target)
            self._save_state(swapped)
        # Rasa loads the newest file in the models folder on restart: make this one the newest.
        os.utime(target)
        return swapped

    @property
    def _pulls(self) -> bool:
        return pulls_models(self.settings)

    @property
    def _replicas(self) -> RasaReplicas:
        return RasaReplicas.from_settings(self.settings)

    # Housekeeping --------------------------------------------------------------------------

    def _save_state(self, state: PublishState) -> None:
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(state), indent=2), encoding="utf-8")
        os.replace(temporary, self.state_file)

    def _prune(self, keep: set[str]) -> None:
        published = sorted(self.models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"),
                           key=lambda p: p.stat().st_mtime, reverse=True)
        spare = [p for p in published if p.name not in keep]
        for old in spare[self.settings.content_models_to_keep:]:
            old.unlink()
            shutil.rmtree(self._snapshot_dir(old.name), ignore_errors=True)

    def _live_snapshot(self) -> Path | None:
        live = self.state().live
        return self._snapshot_dir(live) if live else None

    def _snapshot_dir(self, model: str) -> Path:
        """The content a published model was trained from (to judge the next change by)."""
        return self.work_dir / "content" / model.removesuffix(".tar.gz")

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        with open(self.work_dir / "publish.lock", "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise PublishBusy("Another publish is running; wait for it to finish.") from exc
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


_AVERAGES = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def _examples(content: ContentSet) -> dict[str, frozenset[str]]:
    # As sets: saving a change sorts every intent's examples, which trains the same model.
    return {name: frozenset(intent.examples) for name, intent in content.intents.items()}


def _failed_story_names(failed: Path) -> list[str]:
    if not failed.is_file():
        return []
    names = []
    for line in failed.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("- story:"):
            names.append(stripped.removeprefix("- story:").split(" (")[0].strip())
    return names[:5]
