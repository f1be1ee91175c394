"""The content residents already have, to judge an editor's change against at publish time.

That is the content saved with the live model when it was published from here, or, before
the first publish, the project's shipped data (the files as committed in git).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.content.checks import Check, Problem, check_change, run_checks
from bot.content.store import FAQ_PREFIX, ContentSet, ContentStore

SHIPPED_PATHS = ("data", "domain.yml")


def save_snapshot(store: ContentStore, directory: Path) -> None:
    """The training files as they are now, kept beside a candidate model."""
    store.write(store.snapshot_files(), root=directory)


def keep_snapshot(snapshot: Path, published: Path) -> None:
    """Move a candidate's snapshot to where the published model's content is kept."""
    if published.exists():
        shutil.rmtree(published)
    if snapshot.is_dir():
        published.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(snapshot), published)


def judge(root: Path, published: Path | None, content: ContentSet, checks: tuple[Check, ...]
          ) -> tuple[list[Problem], list[Problem]]:
    """Every problem worth mentioning at publish, and those that stop it.

    Only what changed since the published (or shipped) content stops a publish. Without
    either to compare with, editors' questions must be clean; problems elsewhere are the
    engineers' to fix, and so is the allow-list.
    """
    before = published_or_shipped(root, published)
    if before is not None:
        problems = check_change(before, content, checks)
        return problems, problems
    problems = run_checks(content, checks)
    return problems, [p for p in problems if p.intent.startswith(FAQ_PREFIX)
                      or (not p.intent and p.code != "allow_list")]


def published_or_shipped(root: Path, published: Path | None) -> ContentSet | None:
    """The live model's content, else the shipped data, else None (nothing to compare with)."""
    if published is not None and published.is_dir():
        return ContentStore(published).load()
    return shipped_content(root)


def shipped_content(root: Path) -> ContentSet | None:
    """The content as committed (git HEAD), or None when the project is not a git checkout."""
    listed = _git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *SHIPPED_PATHS)
    if listed is None:
        return None
    with tempfile.TemporaryDirectory(prefix="councilbot-shipped-") as copy:
        for name in filter(None, listed.decode().split("\0")):
            blob = _git(root, "show", f"HEAD:./{name}")
            if blob is not None:
                target = Path(copy) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob)
        return ContentStore(Path(copy)).load()


def pipeline_is_committed(root: Path) -> bool:
    """Whether config.yml is as committed, so the shipped examples were tested with it."""
    committed = _git(root, "show", "HEAD:./config.yml")
    return committed is not None and committed == (root / "config.yml").read_bytes()


def _git(root: Path, *args: str) -> bytes | None:
    try:
        run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60,
                             check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout if run.returncode == 0 else None
