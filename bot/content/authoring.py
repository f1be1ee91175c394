"""Editors' Python API (used by the CLI and the web): read, search and change questions safely."""

from __future__ import annotations

import fcntl
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from bot.content import answers
from bot.content.checks import FAST_CHECKS, Check, Problem, check_change, run_checks
from bot.content.rasa_tools import validate
from bot.content.store import (
    FAQ_NLU_FILE,
    FAQ_PREFIX,
    FAQ_RESPONSES_FILE,
    ContentSet,
    ContentStore,
    Intent,
    Response,
    faq_response_name,
    tidy_examples,
)
from bot.settings import PROJECT_DIR, Settings

NAME = re.compile(r"^[a-z][a-z0-9_]{2,59}$")
LOCK_FILE = "edit.lock"


class ContentError(Exception):
    """A request an editor can correct: the message says how."""

    status = 400


class NotFound(ContentError):
    status = 404


class ChangeRefused(ContentError):
    """The change would break the content; nothing was written."""

    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Question:
    name: str  # without the faq/ prefix
    question: str
    examples: tuple[str, ...]
    answer: str

    @property
    def intent(self) -> str:
        return FAQ_PREFIX + self.name


@dataclass(frozen=True)
class Preview:
    text: str
    html: str
    plain: str
    words: int


@dataclass
class SaveResult:
    files: list[str] = field(default_factory=list)


def project_dir(settings: Settings) -> Path:
    return Path(settings.content_project_dir or PROJECT_DIR)


def faq_name(name: str) -> str:
    """Accepts "faq/garden_waste" or "garden_waste"; refuses names Rasa or editors would trip on."""
    short = name.strip().removeprefix(FAQ_PREFIX)
    if not NAME.match(short):
        raise ContentError(
            f'"{name}" is not a usable name: use 3-60 lower-case letters, digits and _ '
            "starting with a letter, e.g. garden_waste_subscription."
        )
    return short


class ContentEditor:
    """One project's content. Every change is checked first; a failing change writes nothing."""

    def __init__(self, settings: Settings, root: Path | None = None,
                 checks: tuple[Check, ...] = FAST_CHECKS, rasa_validate: bool | None = None
                 ) -> None:
        self.settings = settings
        self.store = ContentStore(root or project_dir(settings))
        self.checks = checks
        self.rasa_validate = (settings.content_validate_on_save if rasa_validate is None
                              else rasa_validate)

    # Reading -------------------------------------------------------------------------------

    def list_questions(self) -> list[Question]:
        content = self.store.load()
        return [self._question(content, name) for name in content.faq_names()]

    def search(self, text: str, limit: int = 20) -> list[Question]:
        """Questions whose name, wording, examples or answer match the words given."""
        wanted = answers.normalise(text)
        if not wanted:
            return []
        scored = []
        for question in self.list_questions():
            haystack = [question.name.replace("_", " "), question.question, question.answer,
                        *question.examples]
            score = max(_match(wanted, answers.normalise(h)) for h in haystack)
            if score >= 85:
                scored.append((score, question.name, question))
        return [q for _, _, q in sorted(scored, key=lambda s: (-s[0], s[1]))[:limit]]

    def show(self, name: str) -> Question:
        return self._find(self.store.load(), name)

    def intents(self) -> dict[str, int]:
        """Every intent examples can be added to, with how many it has."""
        return {n: len(i.examples) for n, i in sorted(self.store.load().intents.items())}

    def preview(self, name: str | None = None, answer: str | None = None) -> Preview:
        text = answer if answer is not None else self.show(name or "").answer
        return Preview(text, answers.render_html(text), answers.render_plain(text),
                       answers.count_words(text))

    def check(self, rasa: bool | None = None, fast: bool = True) -> list[Problem]:
        """Every problem in the content as it is now, including `rasa data validate`'s."""
        problems = run_checks(self.store.load(), self.checks) if fast else []
        if self.rasa_validate if rasa is None else rasa:
            run = validate(self.settings, self.store.root)
            if not run.ok:
                problems.extend(_rasa_problems(run.error_lines()))
        return problems

    # Changing ------------------------------------------------------------------------------

    def add_question(self, name: str, question: str, examples: list[str], answer: str
                     ) -> SaveResult:
        short = faq_name(name)
        with self._locked() as before:
            if FAQ_PREFIX + short in before.intents:
                raise ContentError(f"There is already a question called {short}; edit it instead.")
            after = self._with_question(before, short, question, examples, answer)
            return self._save(before, after)

    def edit_question(self, name: str, question: str | None = None, answer: str | None = None,
                      examples: list[str] | None = None, add_examples: list[str] | None = None,
                      remove_examples: list[str] | None = None) -> SaveResult:
        """Change the wording, the answer, or the examples (replace all, add or remove some)."""
        with self._locked() as before:
            current = self._find(before, name)
            kept = list(examples if examples is not None else current.examples)
            kept += [e for e in add_examples or [] if e.strip()]
            if remove_examples:
                missing = [e for e in remove_examples if e not in kept]
                if missing:
                    raise ContentError(f'{current.intent} has no example "{missing[0]}".')
                kept = [e for e in kept if e not in remove_examples]
            after = self._with_question(
                before, current.name, current.question if question is None else question,
                kept, current.answer if answer is None else answer,
            )
            return self._save(before, after)

    def remove_question(self, name: str) -> SaveResult:
        """Delete a question and its answer (publish to take it away from residents)."""
        with self._locked() as before:
            current = self._find(before, name)
            intents = {n: i for n, i in before.intents.items() if n != current.intent}
            responses = {n: r for n, r in before.responses.items()
                         if n != faq_response_name(current.intent)}
            return self._save(before, replace(before, intents=intents, responses=responses))

    def add_examples(self, intent: str, examples: list[str]) -> SaveResult:
        """Add examples to any intent (faq/* or a service intent) in the file that holds it."""
        cleaned = [" ".join(e.split()) for e in examples if e.strip()]
        if not cleaned:
            raise ContentError("Give at least one example.")
        for example in cleaned:
            if re.search(r"<[a-z_]+>", example):
                raise ContentError(
                    f'"{example}" still has a placeholder for removed personal data; replace it '
                    "with a made-up value (for example AN1 1AA) or leave that part out."
                )
        with self._locked() as before:
            current = before.intents.get(intent)
            if current is None:
                raise NotFound(f"There is no intent called {intent}.")
            known = set(current.examples)
            added = tuple(e for e in cleaned if e not in known)
            if not added:
                raise ContentError(f"{intent} already has those examples.")
            merged = current.examples + added
            if current.is_faq:
                merged = tidy_examples(merged)
            updated = Intent(current.name, merged, current.file, current.question)
            return self._save(before, before.with_intent(updated))

    # Internals -----------------------------------------------------------------------------

    def _with_question(self, content: ContentSet, short: str, question: str,
                       examples: list[str], answer: str) -> ContentSet:
        if not question.strip():
            raise ContentError("Write the question as a resident would ask it.")
        intent = Intent(FAQ_PREFIX + short, tidy_examples(examples), FAQ_NLU_FILE,
                        " ".join(question.split()))
        response = Response(faq_response_name(FAQ_PREFIX + short), (answer.strip(),),
                            FAQ_RESPONSES_FILE)
        return content.with_intent(intent).with_response(response)

    def _save(self, before: ContentSet, after: ContentSet) -> SaveResult:
        introduced = check_change(before, after, self.checks)
        if introduced:
            raise ChangeRefused(introduced)
        files = self.store.render(before, after)
        if self.rasa_validate:
            self._validate_staged(files)
        self.store.write(files)
        return SaveResult(sorted(str(f) for f in files))

    def _validate_staged(self, files: dict[Path, str]) -> None:
        """Run `rasa data validate` on a copy with the change, refusing errors it brings in."""
        current = self.store.snapshot_files()
        with tempfile.TemporaryDirectory(prefix="councilbot-content-") as staging:
            self.store.write({**current, **files}, root=Path(staging))
            run = validate(self.settings, Path(staging))
        if run.ok:
            return
        baseline = validate(self.settings, self.store.root)
        errors = [e for e in run.error_lines() if baseline.ok or e not in baseline.output]
        if errors:
            raise ChangeRefused(_rasa_problems(errors))

    @contextmanager
    def _locked(self) -> Iterator[ContentSet]:
        """One change at a time (CLI and web alike), made against the files as they are now."""
        lock_path = Path(self.settings.var_dir) / "content" / LOCK_FILE
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self.store.load()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _find(self, content: ContentSet, name: str) -> Question:
        short = faq_name(name)
        if FAQ_PREFIX + short not in content.intents:
            raise NotFound(f"There is no question called {short}.")
        return self._question(content, short)

    @staticmethod
    def _question(content: ContentSet, short: str) -> Question:
        intent = content.intents[FAQ_PREFIX + short]
        response = content.responses.get(faq_response_name(intent.name))
        answer = response.texts[0] if response and response.texts else ""
        return Question(short, intent.question, intent.examples, answer)


def _match(wanted: str, text: str) -> float:
    """Every word found scores 100; longer queries may also match with a typo or two."""
    if all(word in text for word in wanted.split()):
        return 100.0
    return fuzz.partial_ratio(wanted, text) if len(wanted) >= 6 else 0.0


def _rasa_problems(lines: list[str]) -> list[Problem]:
    return [
        Problem("rasa_validate", f"Rasa's own check of the training data failed: {line}")
        for line in lines
    ]
