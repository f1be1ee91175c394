"""`councilbot privacy purge | erase | export`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.privacy import report, service
from bot.settings import get_settings


def _subject_arguments(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--conversation", default="", help="the conversation id")
    who.add_argument("--email", default="", help="an email address the resident left")
    who.add_argument("--phone", default="", help="a phone number the resident left")


def _subject(args: argparse.Namespace) -> service.Subject:
    return service.Subject.of(args.conversation, args.email, args.phone)


def purge(args: argparse.Namespace) -> int:
    while True:
        counts = service.purge(get_settings())
        print("Purged: " + (", ".join(f"{k} {v}" for k, v in counts.items() if v)
                            or "nothing was due"), flush=True)
        if not args.every:
            return 0
        time.sleep(args.every * 60)


def erase(args: argparse.Namespace) -> int:
    subject = _subject(args)
    with service.stores(get_settings()) as made:
        if not service.find(made, subject).anything:
            print("Nothing is held for that resident; nothing was changed.")
            return 1
        if not args.yes and input("Erase everything held for this resident? [y/N] ") != "y":
            print("Not erased.")
            return 1
        removed = service.erase(made, subject, reference=args.reference)
    print("Erased: " + ", ".join(f"{k} {v}" for k, v in removed.items() if v))
    return 0


def export(args: argparse.Namespace) -> int:
    with service.stores(get_settings()) as made:
        data = service.export(made, _subject(args))
    text = report.as_html(data) if args.format == "html" else report.as_json(data)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _run(handler):  # type: ignore[no-untyped-def]
    def checked(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except service.BadSubject as exc:
            print(exc, file=sys.stderr)
            return 2
        except SQLAlchemyError as exc:  # its text can quote what was looked for
            print(f"A store could not be read or changed ({type(exc).__name__}); "
                  "each store's change is all or nothing.", file=sys.stderr)
            return 1
    return checked


def add_privacy_commands(commands: argparse._SubParsersAction) -> None:
    privacy = commands.add_parser("privacy", help="retention, erasure and subject access")
    actions = privacy.add_subparsers(dest="privacy_command", required=True)
    purge_parser = actions.add_parser("purge", help="delete what the retention settings say")
    purge_parser.add_argument("--every", type=int, default=0, metavar="MINUTES",
                              help="keep running, purging every MINUTES")
    purge_parser.set_defaults(handler=_run(purge))
    erase_parser = actions.add_parser("erase", help="remove one resident's data everywhere")
    _subject_arguments(erase_parser)
    erase_parser.add_argument("--reference", default="", help="your request reference")
    erase_parser.add_argument("--yes", action="store_true", help="do not ask to confirm")
    erase_parser.set_defaults(handler=_run(erase))
    export_parser = actions.add_parser("export", help="everything held about one resident")
    _subject_arguments(export_parser)
    export_parser.add_argument("--format", choices=("json", "html"), default="json")
    export_parser.add_argument("--out", help="write to this file (default: standard output)")
    export_parser.set_defaults(handler=_run(export))
