"""`councilbot staff add`: create a staff user in the gateway's database."""

from __future__ import annotations

import argparse
import getpass

from bot.db import make_engine, make_session_factory, session_scope
from bot.migrations import upgrade_to_head
from bot.settings import Settings, get_settings
from bot.web.clock import Clock
from bot.web.errors import Problem
from bot.web.models.staff import ROLES
from bot.web.services.staff_auth import create_user


def add_staff(settings: Settings, *, username: str, display_name: str, role: str,
              password: str) -> int:
    """Create a staff user (schema migrated first); returns the new id. Raises `Problem`."""
    engine = make_engine(settings.database_url)
    try:
        upgrade_to_head(engine)
        with session_scope(make_session_factory(engine)) as session:
            user = create_user(session, Clock().now(), username=username,
                               display_name=display_name, role=role, password=password)
            return user.id
    finally:
        engine.dispose()


def add_staff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--name", required=True, help="display name, e.g. 'Priya Shah'")
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--password", help="omit to be prompted (safer: not kept in history)")


def run_add_staff(args: argparse.Namespace) -> int:
    password = args.password or getpass.getpass("Password (12+ characters): ")
    try:
        add_staff(get_settings(), username=args.username, display_name=args.name,
                  role=args.role, password=password)
    except Problem as problem:
        print(f"error: {problem.message}")
        return 1
    print(f"created {args.role} {args.username.strip().lower()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry: `python -m bot.web.cli USERNAME --name ... --role ...`."""
    parser = argparse.ArgumentParser(prog="councilbot staff add")
    add_staff_arguments(parser)
    return run_add_staff(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
