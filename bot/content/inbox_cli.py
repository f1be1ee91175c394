"""`councilbot content inbox ...`: review unanswered questions from the command line."""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from bot.content import inbox
from bot.content.authoring import ContentEditor
from bot.content.commands import add_command
from bot.db import make_engine, make_session_factory, session_scope
from bot.migrations import upgrade_to_head
from bot.settings import Settings


def add_inbox_commands(commands: argparse._SubParsersAction) -> None:
    parent = commands.add_parser("inbox", help="unanswered questions residents asked")
    command = partial(add_command, parent.add_subparsers(dest="inbox_command", required=True))
    command("list", _list, "unanswered questions, grouped by similarity")
    imported = command("import", _import,
                       "collect messages Rasa could not understand from its tracker store")
    imported.add_argument("--tracker-db", help="SQLAlchemy URL of Rasa's tracker store")
    assign = command("assign", _assign, "add messages to an intent as examples")
    assign.add_argument("ids", type=int, nargs="+")
    assign.add_argument("--intent", required=True)
    assign.add_argument("--example", help="the wording to add, if not the message as it is")
    assign.add_argument("--by", default="", help="your name, for the record")
    dismiss = command("dismiss", _dismiss, "remove messages from the inbox")
    dismiss.add_argument("ids", type=int, nargs="+")
    dismiss.add_argument("--by", default="")


def _sessions(settings: Settings):  # type: ignore[no-untyped-def]
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    return make_session_factory(engine)


def _list(_args: argparse.Namespace, settings: Settings) -> int:
    factory = _sessions(settings)
    with session_scope(factory) as session:
        groups = inbox.open_groups(session, ContentEditor(settings))
        for group in groups:
            ids = ",".join(str(i) for i in group.ids)
            hint = f"  (looks like {group.suggested_intent})" if group.suggested_intent else ""
            print(f"[{ids}] x{len(group.items)} {group.text}{hint}")
        if not groups:
            print("The inbox is empty.")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    url = args.tracker_db or f"sqlite:///{Path(settings.var_dir).resolve() / 'rasa_tracker.db'}"
    with session_scope(_sessions(settings)) as session:
        added = inbox.import_fallbacks(session, url)
    print(f"{added} new message(s) in the inbox.")
    return 0


def _assign(args: argparse.Namespace, settings: Settings) -> int:
    with session_scope(_sessions(settings)) as session:
        items = inbox.assign(session, ContentEditor(settings), args.ids, args.intent,
                             args.example, args.by)
    print(f"Added to {args.intent}: {len(items)} message(s). Publish to put it live.")
    return 0


def _dismiss(args: argparse.Namespace, settings: Settings) -> int:
    with session_scope(_sessions(settings)) as session:
        items = inbox.dismiss(session, args.ids, args.by)
    print(f"Dismissed {len(items)} message(s).")
    return 0
