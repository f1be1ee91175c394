"""The project's own Rasa YAML files as content: read them, and render or write tidy changes."""

from __future__ import annotations

import copy
import io
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

FAQ_PREFIX = "faq/"
RESPONSE_PREFIX = "utter_"
FAQ_NLU_FILE = Path("data/nlu/faq.yml")
FAQ_RESPONSES_FILE = Path("data/responses/faq.yml")
DOMAIN_FILE = Path("domain.yml")
CONFIG_FILE = Path("config.yml")
DATA_DIR = Path("data")
RASA_FORMAT_VERSION = DoubleQuotedScalarString("3.1")
# The key of data/checks/similar_examples.yml: pairs of examples worded alike on purpose.
ALLOWED_SIMILAR_KEY = "allowed_similar_examples"


@dataclass(frozen=True)
class Intent:
    """One intent's examples, and the file they live in (relative to the project)."""

    name: str
    examples: tuple[str, ...]
    file: Path
    question: str = ""

    @property
    def is_faq(self) -> bool:
        return self.name.startswith(FAQ_PREFIX)


@dataclass(frozen=True)
class Response:
    """One response's text variations, and the file that defines it."""

    name: str
    texts: tuple[str, ...]
    file: Path


@dataclass(frozen=True)
class AllowedPair:
    """Two examples of different intents that are alike on purpose, and why (as written)."""

    examples: tuple[tuple[str, str], ...]  # (intent, example); a valid entry has two
    reason: str
    file: Path


@dataclass(frozen=True)
class ContentSet:
    """Everything editors can see or change, as read from (or about to be written to) disk."""

    intents: dict[str, Intent] = field(default_factory=dict)
    responses: dict[str, Response] = field(default_factory=dict)
    allowed_similar: tuple[AllowedPair, ...] = ()

    def faq_names(self) -> list[str]:
        return sorted(n[len(FAQ_PREFIX) :] for n in self.intents if n.startswith(FAQ_PREFIX))

    def with_intent(self, intent: Intent) -> ContentSet:
        return replace(self, intents={**self.intents, intent.name: intent})

    def with_response(self, response: Response) -> ContentSet:
        return replace(self, responses={**self.responses, response.name: response})


def faq_response_name(intent_name: str) -> str:
    """faq/bin_day_bank_holidays -> utter_faq/bin_day_bank_holidays (Rasa's retrieval naming)."""
    return RESPONSE_PREFIX + intent_name


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps other people's comments, quotes and order
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # type: ignore[assignment]
    yaml.preserve_quotes = True  # type: ignore[assignment]
    return yaml


def parse_examples(value: object) -> tuple[str, ...]:
    """Rasa's two example forms: a `- example` block string, or a list of {text: ...}."""
    if isinstance(value, str):
        lines = (line.strip() for line in value.splitlines())
        return tuple(line[2:].strip() for line in lines if line.startswith("- "))
    if isinstance(value, list):
        return tuple(str(item["text"]) for item in value if isinstance(item, dict))
    return ()


def examples_block(examples: tuple[str, ...] | list[str]) -> LiteralScalarString:
    return LiteralScalarString("".join(f"- {example}\n" for example in examples))


def tidy_examples(examples: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Sorted case-insensitively, stripped, one copy of each: what editors' files hold."""
    unique = {" ".join(e.split()): None for e in examples if e.strip()}
    return tuple(sorted(unique, key=lambda e: (e.lower(), e)))


class ContentStore:
    """Reads the content from a project folder and writes changes back in Rasa's own format."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # Reading -------------------------------------------------------------------------------

    def data_files(self) -> list[Path]:
        return sorted(p.relative_to(self.root) for p in (self.root / DATA_DIR).rglob("*.yml"))

    def load(self) -> ContentSet:
        intents: dict[str, Intent] = {}
        responses: dict[str, Response] = {}
        allowed: list[AllowedPair] = []
        for relative in [DOMAIN_FILE, *self.data_files()]:
            path = self.root / relative
            if not path.is_file():
                continue
            document = _yaml().load(path.read_text(encoding="utf-8")) or {}
            for item in document.get("nlu") or []:
                if "intent" in item:
                    name = str(item["intent"])
                    metadata = item.get("metadata") or {}
                    question = (str(metadata.get("question", ""))
                                if isinstance(metadata, dict) else "")
                    examples = parse_examples(item.get("examples"))
                    if name in intents:  # Rasa merges an intent split across files
                        examples = intents[name].examples + examples
                        question = intents[name].question or question
                    intents[name] = Intent(name, examples, relative, question)
            for name, variations in (document.get("responses") or {}).items():
                texts = tuple(str(v.get("text", "")) for v in variations or []
                              if isinstance(v, dict))
                responses[str(name)] = Response(str(name), texts, relative)
            for entry in document.get(ALLOWED_SIMILAR_KEY) or []:
                entry = dict(entry) if isinstance(entry, dict) else {}
                reason = str(entry.pop("reason", "") or "")
                pairs = tuple((str(k), str(v)) for k, v in entry.items())
                allowed.append(AllowedPair(pairs, reason, relative))
        return ContentSet(intents, responses, tuple(allowed))

    # Rendering -----------------------------------------------------------------------------

    def render(self, before: ContentSet, after: ContentSet) -> dict[Path, str]:
        """The new text of every file the change touches, relative path -> YAML text."""
        files: dict[Path, str] = {}
        faq_intents = [i for i in after.intents.values() if i.is_faq]
        faq_responses = [r for r in after.responses.values() if r.name.startswith("utter_faq/")]
        changed_faq = any(
            after.intents.get(n) != before.intents.get(n)
            for n in {*before.intents, *after.intents}
            if n.startswith(FAQ_PREFIX)
        )
        changed_answers = any(
            after.responses.get(n) != before.responses.get(n)
            for n in {*before.responses, *after.responses}
            if n.startswith("utter_faq/")
        )
        if changed_faq:
            files[FAQ_NLU_FILE] = self.render_faq_nlu(faq_intents)
        if changed_answers:
            files[FAQ_RESPONSES_FILE] = self.render_faq_responses(faq_responses)
        for name, intent in after.intents.items():
            if intent.is_faq or before.intents.get(name) == intent:
                continue
            if name not in before.intents:
                raise ValueError(f"new intents other than faq/* are made by engineers: {name}")
            source = files.get(intent.file) or (self.root / intent.file).read_text(encoding="utf-8")
            files[intent.file] = self._render_examples_into(source, intent)
        return files

    @staticmethod
    def render_faq_nlu(intents: list[Intent]) -> str:
        items = []
        for intent in sorted(intents, key=lambda i: i.name):
            item: dict = {"intent": intent.name}
            if intent.question:
                item["metadata"] = {"question": intent.question}
            item["examples"] = examples_block(tidy_examples(intent.examples))
            items.append(item)
        header = (
            "# Questions residents ask that have one fixed answer (retrieval intents faq/*).\n"
            "# Edited with `councilbot content` or the /content area; answers live in\n"
            "# data/responses/faq.yml. See docs/editors.md.\n"
        )
        text = _dump({"version": RASA_FORMAT_VERSION, "nlu": items})
        # A blank line between questions, as in the other data files.
        first, _, rest = text.partition("\n  - intent:")
        return header + first + "\n  - intent:" + rest.replace("\n  - intent:", "\n\n  - intent:")

    @staticmethod
    def render_faq_responses(responses: list[Response]) -> str:
        body = {
            r.name: [{"text": text} for text in r.texts]
            for r in sorted(responses, key=lambda r: r.name)
        }
        header = (
            "# Answers to the faq/* questions in data/nlu/faq.yml, one utter_faq/<name> each.\n"
            "# Rasa merges responses from data files into the domain.\n"
        )
        return header + _dump({"version": RASA_FORMAT_VERSION, "responses": body})

    @staticmethod
    def _render_examples_into(source: str, intent: Intent) -> str:
        """Someone else's file: change only this intent's examples, appending new ones."""
        yaml = _yaml()
        document = yaml.load(source)
        for item in document.get("nlu") or []:
            if item.get("intent") == intent.name:
                item["examples"] = examples_block(intent.examples)
                break
        else:
            raise ValueError(f"{intent.name} is not in {intent.file}")
        stream = io.StringIO()
        yaml.dump(document, stream)
        return stream.getvalue()

    # Writing -------------------------------------------------------------------------------

    def write(self, files: dict[Path, str], root: Path | None = None) -> None:
        """Replace each file whole (write a temporary file, then rename over the old one)."""
        target = Path(root) if root is not None else self.root
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)

    def snapshot_files(self) -> dict[Path, str]:
        """Every file Rasa reads for training, as text: for staging a change in a copy."""
        files = {p: (self.root / p).read_text(encoding="utf-8") for p in self.data_files()}
        for extra in (DOMAIN_FILE, CONFIG_FILE):
            if (self.root / extra).is_file():
                files[extra] = (self.root / extra).read_text(encoding="utf-8")
        return files


def _dump(document: dict) -> str:
    stream = io.StringIO()
    _yaml().dump(copy.deepcopy(document), stream)
    return stream.getvalue()
