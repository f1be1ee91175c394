"""Pure helpers for answer text: words, markdown links, and the preview the widget shows."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# A well-formed markdown link: [title](https://...), no spaces inside the address.
LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()]+)\)")
# Something meant as a link that is not one: a space, a missing ) or an address without https.
BROKEN_LINK = re.compile(r"\[[^\[\]\n]*\]\s*\([^)\n]*\)?")
BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Rasa's own entity annotations in examples: [text](entity) or [text]{"entity": ...}.
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Link:
    title: str
    url: str


def find_links(text: str) -> list[Link]:
    return [Link(m.group(1), m.group(2)) for m in LINK.finditer(text)]


def count_words(text: str) -> int:
    """Words a resident reads: a link counts as its title, not its address."""
    return len(LINK.sub(lambda m: m.group(1), text).split())


def link_format_errors(text: str) -> list[str]:
    """What is wrong with the links in an answer, in words an editor understands."""
    errors: list[str] = []
    for link in find_links(text):
        if not link.url.startswith("https://"):
            errors.append(f"the link to {link.url} must start with https://")
    rest = LINK.sub(" ", text)
    for fragment in BROKEN_LINK.findall(rest):
        errors.append(f'"{fragment.strip()}" is a broken link; write links as [title](https://...)')
    rest = BROKEN_LINK.sub(" ", rest)
    if "[" in rest or "]" in rest:
        errors.append("the answer has a stray [ or ]; write links as [title](https://...)")
    for url in BARE_URL.findall(rest):
        errors.append(
            f"{url} is not written as a link; write it as [what the page is]({_as_https(url)})"
        )
    return errors


def _as_https(url: str) -> str:
    url = url.rstrip(".,;:)")
    if url.lower().startswith("www."):
        return "https://" + url
    return url.replace("http://", "https://", 1)


def example_text(example: str) -> str:
    """An example as the resident would type it, without Rasa's entity annotations."""
    return ANNOTATION.sub(lambda m: m.group(1), example)


def normalise(example: str) -> str:
    """Lower case, no punctuation, single spaces: how two examples are compared."""
    text = example_text(example).lower().replace("'", "")
    return " ".join(re.sub(r"[^\w£]+", " ", text).split())


def render_html(text: str) -> str:
    """The answer as the chat widget shows it: escaped text, links opening in a new tab."""
    parts: list[str] = []
    position = 0
    for match in LINK.finditer(text):
        parts.append(html.escape(text[position : match.start()]))
        parts.append(
            f'<a href="{html.escape(match.group(2))}" target="_blank" rel="noopener">'
            f"{html.escape(match.group(1))}</a>"
        )
        position = match.end()
    parts.append(html.escape(text[position:]))
    return "".join(parts).replace("\n", "<br>")


def render_plain(text: str) -> str:
    """The answer for a terminal: link titles followed by their address in brackets."""
    return LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
