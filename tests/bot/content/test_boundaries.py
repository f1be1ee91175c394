"""The content package stands alone: the web gateway depends on it, never the other way."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.content

CONTENT = Path(bot.content.__file__).parent


def test_no_content_module_imports_the_web_gateway() -> None:
    offenders = []
    for path in sorted(CONTENT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[:2] == ["bot", "web"]]
    assert offenders == []
