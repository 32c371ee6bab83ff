"""Provenance of a result set: which simulator (version, commit) and libraries wrote it."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

import sim
from sim.engine import ENGINE_VERSION

DISTRIBUTION = "leverage-sim"


def versions() -> dict[str, str]:
    """Versions of Python, this package and its key dependencies."""
    out = {"python": platform.python_version()}
    for dist in (DISTRIBUTION, "mesa", "numpy", "pandas", "pyarrow", "pydantic", "scipy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


def simulator() -> dict[str, str | bool | None]:
    """The simulator's version, its engine's version (``sim.engine.ENGINE_VERSION``), and
    its git commit when it runs from a checkout.

    The commit is that of the repository holding the ``sim`` package itself (not of the
    caller's working directory), and only when that repository is the simulator's own
    checkout (its top level holds ``sim/``): an installed copy has none. ``git_dirty``
    says whether the checkout had uncommitted changes to tracked files.
    """
    try:
        version = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        version = "unknown"
    commit, dirty = _git_commit(Path(sim.__file__).resolve().parent)
    return {"version": version, "engine": ENGINE_VERSION, "git_commit": commit, "git_dirty": dirty}


def _git_commit(package: Path) -> tuple[str | None, bool | None]:
    top = _git(package, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != package.parent:
        return None, None
    commit = _git(package, "rev-parse", "HEAD")
    if commit is None:
        return None, None
    status = _git(package, "status", "--porcelain", "--untracked-files=no")
    return commit, None if status is None else bool(status)


def _git(where: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None
