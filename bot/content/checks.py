"""The project's own content checks, each reporting problems in words an editor understands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.answers import count_words, find_links, link_format_errors, normalise
from bot.content.store import (
    FAQ_PREFIX,
    RESPONSE_PREFIX,
    AllowedPair,
    ContentSet,
    faq_response_name,
)

MIN_EXAMPLES = 10
MAX_ANSWER_WORDS = 80
# Two examples are "too close" when their letters are this alike (0-100) ...
SIMILAR_CHARACTERS = 85
# ... and their words too, so "please do" and "please don't" are not flagged ...
SIMILAR_WORDS = 70
# ... nor a yes and a no that differ only by a negation ("thank you" / "no thank you").
NEGATIONS = frozenset({"no", "not", "dont", "doesnt", "didnt", "cant", "wont", "never", "nah"})
# Intents Rasa fills in itself: they never have examples.
BUILT_IN_INTENTS = {"nlu_fallback"}
_Row = tuple[str, str, str]  # intent, example as written, example normalised


@dataclass(frozen=True)
class Problem:
    """One thing to fix before a change can be saved or published."""

    code: str
    message: str
    intent: str = ""
    example: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "intent": self.intent,
                "example": self.example}


@dataclass(frozen=True)
class Change:
    """What an edit touched: intents, and the examples it added as (intent, normalised text)."""

    intents: frozenset[str] = frozenset()
    examples: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def between(cls, before: ContentSet, after: ContentSet) -> Change:
        intents = {n for n in {*before.intents, *after.intents}
                   if before.intents.get(n) != after.intents.get(n)}
        intents |= {n.removeprefix(RESPONSE_PREFIX) for n in {*before.responses, *after.responses}
                    if before.responses.get(n) != after.responses.get(n)}
        examples = {(name, normalise(example)) for name in intents
                    if name in after.intents for example in after.intents[name].examples}
        examples -= {(name, normalise(example)) for name in intents
                     if name in before.intents for example in before.intents[name].examples}
        return cls(frozenset(intents), frozenset(examples))


# A check gets the content and what a change touched (blamed first when two clash).
Check = Callable[[ContentSet, Change], list[Problem]]
NO_CHANGE = Change()


def too_few_examples(content: ContentSet, changed: Change = NO_CHANGE,
                     minimum: int = MIN_EXAMPLES) -> list[Problem]:
    problems = []
    for name, intent in sorted(content.intents.items()):
        if name in BUILT_IN_INTENTS or len(set(intent.examples)) >= minimum:
            continue
        problems.append(Problem(
            "too_few_examples",
            f"{name} has {len(set(intent.examples))} example(s); it needs at least {minimum} "
            "different ways a resident might ask, so the assistant can recognise the question.",
            intent=name,
        ))
    return problems


def duplicate_examples(content: ContentSet, changed: Change = NO_CHANGE) -> list[Problem]:
    owners: dict[str, dict[str, str]] = defaultdict(dict)  # normalised -> intent -> as written
    for name, intent in content.intents.items():
        for example in intent.examples:
            owners[normalise(example)].setdefault(name, example)
    problems = []
    for by_intent in owners.values():
        if len(by_intent) < 2:
            continue
        names = sorted(by_intent, key=lambda n: _blame_order(n, changed.intents))
        problems.append(Problem(
            "duplicate_example",
            f'"{by_intent[names[0]]}" is an example of {_join(names)}. An example can belong '
            "to one question only: remove it from all but one.",
            intent=names[0], example=by_intent[names[0]],
        ))
    return sorted(problems, key=lambda p: (p.intent, p.example))


def similar_examples(
    content: ContentSet,
    changed: Change = NO_CHANGE,
    characters: float = SIMILAR_CHARACTERS,
    words: float = SIMILAR_WORDS,
) -> list[Problem]:
    """Examples of different intents worded almost the same (exact copies are duplicates).

    Pairs in the allow-list are deliberate and skipped. When judging a change, only pairs
    with an example the change added are reported, naming that example first.
    """
    allowed = {frozenset(_keys(pair)) for pair in content.allowed_similar}
    problems: dict[frozenset, Problem] = {}
    for (name_a, example_a, text_a), (name_b, example_b, text_b) in _similar_pairs(
        content, characters, words
    ):
        if frozenset({(name_a, text_a), (name_b, text_b)}) in allowed:
            continue
        if changed.examples and not {(name_a, text_a), (name_b, text_b)} & changed.examples:
            continue
        if _example_blame(name_b, text_b, changed) < _example_blame(name_a, text_a, changed):
            (name_a, example_a), (name_b, example_b) = (name_b, example_b), (name_a, example_a)
        problems[frozenset((text_a, text_b))] = Problem(
            "similar_example",
            f'"{example_a}" ({name_a}) is worded almost the same as "{example_b}" ({name_b}), '
            f"so the assistant may confuse the two questions. Reword it or remove it.",
            intent=name_a, example=example_a,
        )
    return sorted(problems.values(), key=lambda p: (p.intent, p.example))


def allow_list_problems(content: ContentSet, changed: Change = NO_CHANGE) -> list[Problem]:
    """Allow-list entries that are malformed, name examples that are gone, or are not alike."""
    alike = {frozenset({(a[0], a[2]), (b[0], b[2])}) for a, b in _similar_pairs(content)}
    problems = []
    for pair in content.allowed_similar:
        shown = " / ".join(f'"{example}" ({intent})' for intent, example in pair.examples)
        if len(pair.examples) != 2 or not pair.reason.strip():
            problems.append(Problem(
                "allow_list", f"In {pair.file}, the entry {shown or '(empty)'} needs exactly "
                "two intents with one example each, and a reason."))
            continue
        missing = [f'"{example}" ({intent})' for intent, example in pair.examples
                   if normalise(example) not in _texts(content, intent)]
        if missing:
            problems.append(Problem(
                "allow_list", f"In {pair.file}, {' and '.join(missing)} is no longer an example: "
                "remove the entry or correct it."))
        elif frozenset(_keys(pair)) not in alike:
            problems.append(Problem(
                "allow_list", f"In {pair.file}, {shown} are no longer worded alike: remove "
                "the entry."))
    return problems


def answer_problems(content: ContentSet, changed: Change = NO_CHANGE,
                    max_words: int = MAX_ANSWER_WORDS) -> list[Problem]:
    problems = []
    for name, response in sorted(content.responses.items()):
        if not name.startswith("utter_" + FAQ_PREFIX):
            continue
        intent = name[len("utter_"):]
        texts = response.texts or ("",)
        for text in texts:
            if not text.strip():
                problems.append(Problem("empty_answer", f"The answer to {intent} is empty.",
                                        intent=intent))
                continue
            words = count_words(text)
            if words > max_words:
                problems.append(Problem(
                    "long_answer",
                    f"The answer to {intent} has {words} words; keep it to {max_words} or fewer "
                    "and link to the council website for the detail.",
                    intent=intent,
                ))
            for error in link_format_errors(text):
                problems.append(Problem("link_format", f"In the answer to {intent}, {error}.",
                                        intent=intent))
            if not link_format_errors(text) and len(find_links(text)) != 1:
                problems.append(Problem(
                    "link_count",
                    f"The answer to {intent} has {len(find_links(text))} links; give exactly one "
                    "link to the page on the council website where residents can read more.",
                    intent=intent,
                ))
    return problems


def unpaired_questions_and_answers(content: ContentSet, changed: Change = NO_CHANGE
                                   ) -> list[Problem]:
    problems = []
    for name in sorted(n for n in content.intents if n.startswith(FAQ_PREFIX)):
        if faq_response_name(name) not in content.responses:
            problems.append(Problem(
                "question_without_answer",
                f"The question {name} has no answer: add one (utter_{name}).", intent=name,
            ))
    for name in sorted(n for n in content.responses if n.startswith("utter_" + FAQ_PREFIX)):
        intent = name[len("utter_"):]
        if intent not in content.intents:
            problems.append(Problem(
                "answer_without_question",
                f"The answer {name} has no question: add examples for {intent} or remove it.",
                intent=intent,
            ))
    return problems


FAST_CHECKS: tuple[Check, ...] = (
    too_few_examples,
    duplicate_examples,
    similar_examples,
    allow_list_problems,
    answer_problems,
    unpaired_questions_and_answers,
)


def run_checks(content: ContentSet, checks: Iterable[Check] = FAST_CHECKS,
               changed: Change = NO_CHANGE) -> list[Problem]:
    return [problem for check in checks for problem in check(content, changed)]


def new_problems(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Problems a change brings in. Problems already in the data do not block editors."""
    existing = {(p.code, p.intent, p.example) for p in before}
    return [p for p in after if (p.code, p.intent, p.example) not in existing]


def check_change(before: ContentSet, after: ContentSet, checks: Iterable[Check] = FAST_CHECKS
                 ) -> list[Problem]:
    """The problems an editor's change brings in, naming the editor's own examples.

    The allow-list is the engineers' to keep: `councilbot content check` reports its rot,
    but it never stops an editor's change.
    """
    checks = tuple(checks)
    change = Change.between(before, after)
    introduced = new_problems(run_checks(before, checks, change), run_checks(after, checks, change))
    return [p for p in introduced if p.code != "allow_list"]


def _similar_pairs(content: ContentSet, characters: float = SIMILAR_CHARACTERS,
                   words: float = SIMILAR_WORDS) -> Iterator[tuple[_Row, _Row]]:
    """Each pair of examples of different intents that are alike, as (intent, example, text)."""
    rows = [
        (name, example, normalise(example))
        for name, intent in sorted(content.intents.items())
        for example in dict.fromkeys(intent.examples)
    ]
    if not rows:
        return
    texts = [row[2] for row in rows]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=characters)
    for a, b in zip(*scores.nonzero(), strict=True):
        (name_a, _, text_a), (name_b, _, text_b) = rows[a], rows[b]
        if a >= b or name_a == name_b or text_a == text_b:
            continue
        words_a, words_b = text_a.split(), text_b.split()
        if fuzz.ratio(words_a, words_b) < words:
            continue
        if bool(NEGATIONS.intersection(words_a)) != bool(NEGATIONS.intersection(words_b)):
            continue
        yield rows[a], rows[b]


def _keys(pair: AllowedPair) -> set[tuple[str, str]]:
    return {(intent, normalise(example)) for intent, example in pair.examples}


def _texts(content: ContentSet, intent: str) -> set[str]:
    found = content.intents.get(intent)
    return {normalise(example) for example in found.examples} if found else set()


def _example_blame(intent: str, text: str, changed: Change) -> tuple[int, tuple[int, int, str]]:
    # The editor's own new example comes first, then the intents it changed.
    return (0 if (intent, text) in changed.examples else 1, _blame_order(intent, changed.intents))


def _blame_order(intent: str, changed: frozenset[str] = frozenset()) -> tuple[int, int, str]:
    # The intent being changed comes first, then editors' own questions: the ones to fix.
    return (0 if intent in changed else 1, 0 if intent.startswith(FAQ_PREFIX) else 1, intent)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
