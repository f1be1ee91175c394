"""What the `councilbot content` command modules share: adding a sub-command, kind refusals."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable

from bot.content.authoring import ChangeRefused, ContentError
from bot.settings import Settings, get_settings

Handler = Callable[[argparse.Namespace, Settings], int]


def add_command(commands: argparse._SubParsersAction, name: str, handler: Handler, help: str
                ) -> argparse.ArgumentParser:
    """A sub-command whose handler runs with the settings and prints refusals, not tracebacks."""
    parser = commands.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=guarded(handler))
    return parser


def guarded(handler: Handler) -> Callable[[argparse.Namespace], int]:
    """The handler with content refusals printed to stderr and exit status 1."""
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args, get_settings())
        except ChangeRefused as exc:
            print("Not saved. Fix these first:", file=sys.stderr)
            for problem in exc.problems:
                print(bullet(problem.message), file=sys.stderr)
            return 1
        except ContentError as exc:
            print(f"Not done: {exc}", file=sys.stderr)
            return 1

    return run


def bullet(text: str) -> str:
    return textwrap.fill(text, width=96, initial_indent="  - ", subsequent_indent="    ")
