"""Runs the assistant's processes under supervisord: a process that dies is started again while
the others keep serving; SIGINT or SIGTERM to supervisord stops them all.

supervisord itself inherits every setting but the secrets (bot/rasa/environment.py child_env);
each program gets only its own secrets (bot.settings.SECRETS_OF) from its `environment` line,
which is why the generated file is readable by its owner only. Each child is started
through `setpriv --pdeathsig TERM`, so even a supervisord killed with SIGKILL leaves nothing
running behind it.
"""

from __future__ import annotations

import configparser
import getpass
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.ops.processes import processes
from bot.ops.scaled import Replica
from bot.ops.stack import readiness, readiness_headers, wait_until_ready
from bot.rasa.environment import child_env
from bot.settings import DEV_SECRETS, PROJECT_DIR, SECRETS_OF, Settings

# A process must stay up this long to count as started; one that dies sooner is started again
# after 1 s, 2 s, 3 s... (supervisord's backoff), and given up on after this many tries.
START_SECONDS = 5
START_RETRIES = 8
# Time to stop cleanly after SIGTERM before supervisord sends SIGKILL.
STOP_SECONDS = 15


@dataclass(frozen=True)
class Supervised:
    config: Path
    log_dir: Path

    def control(self, *args: str) -> str:
        """A supervisorctl command against this supervisord, e.g. ("pid", "rasa")."""
        return subprocess.run(
            [sys.executable, "-m", "supervisor.supervisorctl", "-c", str(self.config), *args],
            capture_output=True, text=True, timeout=30, check=False).stdout.strip()

    def pid(self, name: str) -> int:
        """The running process's PID (0 while it is not running)."""
        answer = self.control("pid", name)
        return int(answer) if answer.isdigit() else 0


@dataclass(frozen=True)
class Program:
    """One supervised program: its command and what it adds to supervisord's environment."""

    name: str
    command: list[str]
    environment: dict[str, str]


def _program_command(command: list[str]) -> str:
    # supervisord expands %(name)s, so a literal % is doubled.
    return shlex.join([*_parent_death_guard(), *command]).replace("%", "%%")


def _parent_death_guard() -> list[str]:
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


SECRET_VARIABLES = {name.upper() for name in (*DEV_SECRETS, "rasa_tracker_password")}


def shared_env(settings: Settings) -> dict[str, str]:
    """supervisord's environment, which every program inherits: no secret in it."""
    return {name: value for name, value in child_env(settings, "backoffice").items()
            if name not in SECRET_VARIABLES}


def _own_secrets(settings: Settings, name: str) -> dict[str, str]:
    """The secrets that process needs, and no other."""
    env = child_env(settings, name) if name in SECRETS_OF else {}
    own = {key.upper() for key in SECRETS_OF.get(name, ())}
    return {key: env[key] for key in sorted(own) if env.get(key)}


def _environment_line(env: dict[str, str]) -> str:
    return ",".join(
        '{}="{}"'.format(key, value.replace("\\", "\\\\").replace('"', '\\"')
                         .replace("%", "%%"))
        for key, value in sorted(env.items()))


def stack_programs(settings: Settings, names: set[str] | None = None) -> list[Program]:
    """`councilbot run`'s processes (the named ones, or all), each with its own secrets."""
    return [Program(p.name, p.command, _own_secrets(settings, p.name))
            for p in processes(settings) if names is None or p.name in names]


def replica_programs(settings: Settings, replicas: list[Replica]) -> list[Program]:
    """`councilbot run-scaled`'s replicas (bot/ops/scaled.py): each gets what its environment
    adds to supervisord's, its own ports and secrets."""
    shared = shared_env(settings)
    return [Program(r.name, r.command,
                    {k: v for k, v in r.env.items() if shared.get(k) != v})
            for r in replicas]


def write_config(settings: Settings, names: set[str] | None = None, *,
                 log_dir: Path | None = None,
                 programs: list[Program] | None = None) -> Supervised:
    """supervisord.conf for the named processes (all by default), or for `programs`, in the
    var folder; each one's output goes to NAME.log in log_dir (default var/log),
    supervisord's own (starts, exits, restarts) to supervisord.log there and to its standard
    output.

    Readable by its owner only: it holds the password of supervisord's control socket and
    each program's secrets.
    """
    run_dir = (settings.var_dir / "supervisor").resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    log_dir = (log_dir or settings.var_dir / "log").resolve()
    log_dir.mkdir(parents=True, exist_ok=True)
    socket = run_dir / "supervisor.sock"
    control = {"username": "councilbot", "password": secrets.token_urlsafe(24)}
    config = configparser.RawConfigParser()
    config["supervisord"] = {
        "nodaemon": "true",
        "logfile": str(log_dir / "supervisord.log"),
        "logfile_maxbytes": "10MB",
        "pidfile": str(run_dir / "supervisord.pid"),
        "childlogdir": str(log_dir),
        "directory": str(PROJECT_DIR),
        # Named, so supervisord does not warn that it kept the current user's rights.
        "user": getpass.getuser(),
    }
    config["unix_http_server"] = {"file": str(socket), "chmod": "0700", **control}
    config["rpcinterface:supervisor"] = {
        "supervisor.rpcinterface_factory": "supervisor.rpcinterface:make_main_rpcinterface"}
    config["supervisorctl"] = {"serverurl": f"unix://{socket}", **control}
    for program in programs if programs is not None else stack_programs(settings, names):
        config[f"program:{program.name}"] = {
            "command": _program_command(program.command),
            "directory": str(PROJECT_DIR),
            "autorestart": "true",
            "startsecs": str(START_SECONDS),
            "startretries": str(START_RETRIES),
            "stopsignal": "TERM",
            "stopwaitsecs": str(STOP_SECONDS),
            "stopasgroup": "true",
            "killasgroup": "true",
            "redirect_stderr": "true",
            "stdout_logfile": str(log_dir / f"{program.name}.log"),
            "stdout_logfile_maxbytes": "10MB",
            "stdout_logfile_backups": "3",
        }
        if program.environment:
            config[f"program:{program.name}"]["environment"] = _environment_line(
                program.environment)
    path = run_dir / "supervisord.conf"
    path.touch(mode=0o600)
    path.chmod(0o600)
    with path.open("w") as handle:
        handle.write("; Written by `councilbot run` or `run-scaled` (bot/ops/supervision.py): "
                     "edit that instead.\n")
        config.write(handle)
    return Supervised(path, log_dir)


def supervisord_command(supervised: Supervised) -> list[str]:
    return [sys.executable, "-m", "supervisor.supervisord", "-c", str(supervised.config)]


def exec_supervisord(settings: Settings, programs: list[Program] | None = None) -> None:
    """Replace this process with supervisord running every process of `councilbot run` (or
    `programs`): Ctrl-C or SIGTERM to this PID stops them all."""
    supervised = write_config(settings, programs=programs)
    os.execve(sys.executable, supervisord_command(supervised), shared_env(settings))


@contextmanager
def supervised(settings: Settings, names: set[str], log_dir: Path) -> Iterator[Supervised]:
    """The named processes under supervisord, each ready; all stopped on exit (tests)."""
    handle = write_config(settings, names, log_dir=log_dir)
    daemon = subprocess.Popen(supervisord_command(handle), env=shared_env(settings),
                              cwd=PROJECT_DIR, stdout=subprocess.DEVNULL,
                              stderr=subprocess.STDOUT)
    try:
        checks = readiness(settings)
        for name in sorted(names, key=_start_order):
            url, ready = checks[name]
            # All start at once and share the machine: allow Rasa more than on its own.
            wait_until_ready(url, ready, daemon, log_dir / f"{name}.log", seconds=600,
                             headers=readiness_headers(settings, name))
        yield handle
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=STOP_SECONDS + 10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def _start_order(name: str) -> int:
    order = ["backoffice", "actions", "rasa", "gateway"]
    return order.index(name) if name in order else len(order)


def wait_for_new_pid(handle: Supervised, name: str, old_pid: int, seconds: float) -> int:
    """The PID of the process supervisord started in place of old_pid."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pid = handle.pid(name)
        if pid and pid != old_pid:
            return pid
        time.sleep(0.5)
    raise RuntimeError(f"{name} was not restarted within {seconds:.0f} s")
