"""The `councilbot` command: train the model, run the whole assistant, and staff/content tools."""

from __future__ import annotations

import argparse
import subprocess
import sys

import uvicorn

from bot.content.cli import add_content_commands
from bot.insights.cli import add_insights_commands, seed_demo
from bot.ops.processes import processes
from bot.ops.supervision import exec_supervisord
from bot.ops.training import train_if_needed
from bot.privacy.cli import add_privacy_commands
from bot.rasa.environment import child_env, rasa_command
from bot.settings import PROJECT_DIR, get_settings
from bot.web.cli import add_staff_arguments, run_add_staff


def train(args: argparse.Namespace) -> int:
    """Train a model unless the newest one already matches the data (Rasa checks)."""
    try:
        model, trained = train_if_needed(get_settings(), force=args.force)
    except subprocess.CalledProcessError as exc:
        print(f"Training failed (exit code {exc.returncode}); see the output above.")
        return 1
    print(f"{'Trained' if trained else 'Up to date'}: {model.relative_to(PROJECT_DIR)}")
    return 0


def run(_args: argparse.Namespace) -> int:
    """Start every process under supervisord (a process that dies is started again);
    Ctrl-C or SIGTERM stops them all."""
    settings = get_settings()
    problem = settings.time_budget_problem()
    if problem:
        print(f"The time budget does not fit: {problem}.")
        return 2
    if settings.environment == "development" and seed_demo(settings):
        print("Seeded demo service insights (development only): /staff/insights")
    print("Starting the Anytown Borough Council assistant:")
    for process in processes(settings):
        print(f"  {process.name:<11} {process.url}  ({process.what})")
    print(f"Each process writes to {settings.var_dir / 'log'}/NAME.log; a process that stops is "
          "started again.\nRasa takes about half a minute to load the model. "
          "Press Ctrl-C to stop everything.", flush=True)
    exec_supervisord(settings)
    return 1  # not reached: this process became supervisord


def rasa(args: argparse.Namespace) -> int:
    """Any `rasa` command, with the environment config.yml and endpoints.yml read."""
    settings = get_settings()
    return subprocess.call(rasa_command(*args.rasa_args), env=child_env(settings),
                           cwd=PROJECT_DIR)


def backoffice(_args: argparse.Namespace) -> int:
    settings = get_settings()
    uvicorn.run("bot.backoffice.app:create_app", factory=True, host=settings.backoffice_host,
                port=settings.backoffice_port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="councilbot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train_parser = commands.add_parser("train", help="train the Rasa model if the data changed")
    train_parser.add_argument("--force", action="store_true", help="train even if unchanged")
    train_parser.set_defaults(handler=train)

    commands.add_parser("run", help="run the whole assistant on this machine").set_defaults(
        handler=run
    )
    rasa_parser = commands.add_parser("rasa", help="run a rasa command with the project's settings")
    rasa_parser.add_argument("rasa_args", nargs=argparse.REMAINDER)
    rasa_parser.set_defaults(handler=rasa)

    commands.add_parser("backoffice", help="run only the stub back office").set_defaults(
        handler=backoffice
    )
    add_content_commands(commands)
    add_privacy_commands(commands)
    add_insights_commands(commands)
    staff_parser = commands.add_parser("staff", help="manage staff console users")
    staff_commands = staff_parser.add_subparsers(dest="staff_command", required=True)
    staff_add = staff_commands.add_parser("add", help="create a staff user (agent/editor/admin)")
    add_staff_arguments(staff_add)
    staff_add.set_defaults(handler=run_add_staff)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    sys.exit(args.handler(args))


if __name__ == "__main__":
    main()
