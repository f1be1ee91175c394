"""The `councilbot` command: train the model, run the whole assistant, and staff/content tools."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import uvicorn

from bot.content.cli import add_content_commands
from bot.insights.cli import add_insights_commands, seed_demo
from bot.ops import scaled
from bot.ops.migrate import migrate
from bot.ops.processes import processes
from bot.ops.supervision import exec_supervisord, replica_programs
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


def serve(args: argparse.Namespace) -> int:
    """One process of `councilbot run` in the foreground: a container's or a unit's command."""
    settings = get_settings()
    process = next(p for p in processes(settings) if p.name == args.process)
    os.chdir(PROJECT_DIR)
    os.execve(process.command[0], process.command, child_env(settings, process.name))
    return 0  # not reached: the process replaces this one


def migrate_command(_args: argparse.Namespace) -> int:
    """Bring every shared database up to date and seed it, once, before any replica starts."""
    for line in migrate(get_settings()):
        print(f"Up to date: {line}")
    return 0


def run_scaled(args: argparse.Namespace) -> int:
    """Two replicas of every tier behind HAProxy on this machine, under supervisord (a
    replica that dies is started again); Ctrl-C stops them all."""
    settings = get_settings()
    if settings.rasa_tracker_dialect != "postgresql" or not settings.redis_url \
            or settings.database_url.startswith("sqlite"):
        print("run-scaled needs DATABASE_URL=postgresql://..., REDIS_URL=redis://... and "
              "RASA_TRACKER_DIALECT=postgresql (see the README's scale-out section).")
        return 2
    migrate_command(args)
    layout = scaled.Layout.free(public_port=settings.gateway_port)
    replicas = scaled.replicas(settings, layout, settings.var_dir)
    print(f"Residents and staff: {layout.url(layout.public_port)}/  "
          f"(HAProxy statistics: {layout.url(layout.stats_port)}/stats)")
    print(f"Replicas: {', '.join(r.name for r in replicas)}; each writes to "
          f"{settings.var_dir / 'log'}/NAME.log and is started again if it stops. "
          "Press Ctrl-C to stop everything.", flush=True)
    exec_supervisord(settings, replica_programs(settings, replicas))
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
    serve_parser = commands.add_parser("serve", help="run one process in the foreground")
    serve_parser.add_argument("process", choices=("backoffice", "actions", "rasa", "gateway"))
    serve_parser.set_defaults(handler=serve)
    commands.add_parser("migrate", help="migrate and seed the shared databases, once"
                        ).set_defaults(handler=migrate_command)
    commands.add_parser("run-scaled", help="two replicas of every tier behind HAProxy"
                        ).set_defaults(handler=run_scaled)
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
