"""A subject access export as a file: JSON, or the same content as a readable HTML page."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True))


def as_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def as_html(data: dict) -> str:
    return _templates.get_template("export.html").render(data=data)
