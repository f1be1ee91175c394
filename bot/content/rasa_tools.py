"""Running Rasa's own commands (validate, train, test) and talking to the running Rasa server."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bot.rasa.api_auth import api_headers
from bot.rasa.environment import child_env, rasa_command
from bot.settings import Settings

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ERROR_LINE = re.compile(r"\bERROR\b|Error:|Exception:|InvalidDomain|YamlSyntax", re.IGNORECASE)
# Rasa's warnings name the file and problem; these are the ones an editor's change can cause.
NOISE = ("DeprecationWarning", "declare_namespace", "pkg_resources", "xla_computation")


class RasaServerError(Exception):
    """The running Rasa server could not be reached or refused a request."""


@dataclass(frozen=True)
class RasaRun:
    """The outcome of one `rasa ...` command: exit code and its full output, ANSI-free."""

    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def error_lines(self, limit: int = 10) -> list[str]:
        lines = [line.strip() for line in self.output.splitlines()]
        lines = [line for line in lines if line and not any(n in line for n in NOISE)]
        errors = [line for line in lines if ERROR_LINE.search(line)]
        return (errors or lines[-3:])[:limit]


def run_rasa(settings: Settings, args: list[str], cwd: Path, log_file: Path | None = None,
             timeout: float | None = None, wrap: bool = True) -> RasaRun:
    """Run `rasa <args>` in cwd (with the settings' wrapper, e.g. flock), capturing output."""
    wrapper = shlex.split(settings.content_rasa_wrapper) if wrap else []
    command = [*wrapper, *rasa_command(*args)]
    try:
        completed = subprocess.run(
            command, cwd=cwd, env=child_env(settings), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, timeout=timeout,
        )
        output, returncode = completed.stdout, completed.returncode
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout if isinstance(exc.stdout, str) else (exc.stdout or b"").decode()
        output += f"\nTimed out after {timeout} seconds."
        returncode = -1
    output = ANSI.sub("", output)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(output, encoding="utf-8")
    return RasaRun(returncode, output)


def validate(settings: Settings, root: Path) -> RasaRun:
    """`rasa data validate` on a project folder (the real one or a staged copy)."""
    return run_rasa(
        settings,
        ["data", "validate", "--data", "data", "--domain", "domain.yml", "--config", "config.yml"],
        cwd=root, timeout=600, wrap=False,  # a few seconds of CPU: no need to queue for it
    )


class RasaServer:
    """The running Rasa server's HTTP API (started with --enable-api and RASA_API_TOKEN as its
    JWT secret, bot/rasa/api_auth.py)."""

    def __init__(self, url: str, token: str, load_timeout: float = 600.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.load_timeout = load_timeout
        self.session = requests.Session()

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaServer:
        return cls(settings.rasa_url, settings.rasa_api_token.get_secret_value())

    def loaded_model(self) -> str:
        """The file name of the model the server is answering with ("" if none)."""
        body = self._call("GET", "/status", timeout=(3.05, 30))
        return Path(str(body.get("model_file") or "")).name

    def loaded_model_id(self) -> str:
        return str(self._call("GET", "/status", timeout=(3.05, 30)).get("model_id") or "")

    def load_model(self, model_file: Path) -> None:
        """Swap the live model without a restart; Rasa answers once the new one is loaded."""
        self._call("PUT", "/model", json={"model_file": str(Path(model_file).resolve())},
                   timeout=(3.05, self.load_timeout))

    def _call(self, method: str, path: str, timeout: tuple[float, float], **kwargs) -> dict:
        try:
            response = self.session.request(method, self.url + path,
                                            headers=api_headers(self.token), timeout=timeout,
                                            **kwargs)
        except requests.RequestException as exc:
            raise RasaServerError(f"the Rasa server at {self.url} did not answer") from exc
        if response.status_code >= 400:
            raise RasaServerError(
                f"the Rasa server refused {method} {path}: {response.status_code} "
                f"{response.text[:300]}"
            )
        return response.json() if response.content else {}


def model_id(archive: Path) -> str:
    """The id Rasa gives a model when training it; every server running it reports it."""
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("metadata.json")
        if member is None:
            raise RasaServerError(f"{archive.name} is not a Rasa model (no metadata.json)")
        return str(json.load(member)["model_id"])


class RasaReplicas:
    """Every Rasa server that pulls the live model; a publish is live once all run it."""

    def __init__(self, urls: list[str], token: str, wait_seconds: float) -> None:
        self.servers = [RasaServer(url, token) for url in urls]
        self.wait_seconds = wait_seconds

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaReplicas:
        # One pull interval to notice the new model, then the load itself.
        return cls(settings.rasa_replicas, settings.rasa_api_token.get_secret_value(),
                   settings.rasa_model_pull_seconds + settings.content_replica_load_seconds)

    def wait_for(self, wanted_id: str) -> None:
        """Return once every replica answers with the model `wanted_id`, or raise."""
        deadline = time.monotonic() + self.wait_seconds
        behind = list(self.servers)
        while behind:
            behind = [s for s in behind if not self._runs(s, wanted_id)]
            if behind and time.monotonic() > deadline:
                names = ", ".join(s.url for s in behind)
                raise RasaServerError(f"these Rasa servers did not switch to the new model "
                                      f"within {self.wait_seconds:.0f} s: {names}")
            if behind:
                time.sleep(1)

    @staticmethod
    def _runs(server: RasaServer, wanted_id: str) -> bool:
        try:
            return server.loaded_model_id() == wanted_id
        except RasaServerError:
            return False  # restarting or loading: it pulls the live model when back
