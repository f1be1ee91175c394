"""Search of the A-Z of waste items: an exact answer, or the nearest items, never a guess."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.backoffice.waste_items import A_TO_Z, BINS, BY_NAME, WasteItem

SUGGESTION_CUTOFF = 60
MAX_SUGGESTIONS = 5
# WRatio scores a two-letter alias ("tv") highly inside any word: only exact matches use them.
_FUZZY_CHOICES = [name for name in BY_NAME if len(name) > 3]
_FILLER = re.compile(r"^(?:an?|the|some|my|old|used|empty|broken|dirty)\s+")


def normalise(text: str) -> str:
    text = re.sub(r"[^a-z0-9 '\-]", " ", text.lower())
    text = " ".join(text.split())
    while _FILLER.match(text):
        text = _FILLER.sub("", text, count=1)
    return text


def _singulars(text: str) -> list[str]:
    forms = [text]
    if text.endswith("es"):
        forms.append(text[:-2])
    if text.endswith("s"):
        forms.append(text[:-1])
    return forms


def item_out(item: WasteItem) -> dict:
    return {"name": item.name, "bin": item.bin, "bin_label": BINS[item.bin],
            "advice": item.advice, "aliases": list(item.aliases)}


def search(query: str) -> dict:
    """`match` only for a known name or alias (plurals folded); else `suggestions` by score."""
    text = normalise(query)
    for form in _singulars(text):
        if form in BY_NAME:
            return {"query": query, "match": item_out(BY_NAME[form]), "suggestions": []}
    found = process.extract(text, _FUZZY_CHOICES, scorer=fuzz.WRatio,
                            limit=MAX_SUGGESTIONS * 3, score_cutoff=SUGGESTION_CUTOFF)
    suggestions: list[dict] = []
    seen: set[str] = set()
    for name, score, _index in found:
        item = BY_NAME[name]
        if item.name in seen:
            continue
        seen.add(item.name)
        suggestions.append({**item_out(item), "score": round(score, 1), "matched": name})
        if len(suggestions) == MAX_SUGGESTIONS:
            break
    return {"query": query, "match": None, "suggestions": suggestions}


def all_items(bin_: str | None = None) -> list[dict]:
    return [item_out(i) for i in sorted(A_TO_Z, key=lambda i: i.name)
            if bin_ is None or i.bin == bin_]
