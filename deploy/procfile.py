"""Procfile entries and the child processes that run them."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_ENTRY = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Entry:
    """One Procfile line: a process name and its command (with ${VARIABLES})."""

    name: str
    command: str

    def argv(self, env: Mapping[str, str]) -> list[str]:
        """The command with variables filled in; `python` is this interpreter."""

        def fill(match: re.Match[str]) -> str:
            if match.group(1) not in env:
                raise KeyError(f"{self.name}: ${{{match.group(1)}}} is not set")
            return env[match.group(1)]

        argv = shlex.split(_VARIABLE.sub(fill, self.command))
        return [sys.executable, *argv[1:]] if argv and argv[0] == "python" else argv


def parse(path: Path) -> list[Entry]:
    """The entries of a Procfile, in order (comments and blank lines skipped)."""
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENTRY.match(line.strip())
        if not match:
            raise ValueError(f"{path}:{number}: not 'name: command'")
        entries.append(Entry(match.group(1), match.group(2)))
    return entries


@dataclass
class Child:
    """A running Procfile process in a session of its own, its output to a file or console."""

    entry: Entry
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log_path: Path | None
    process: subprocess.Popen[bytes] | None = None
    replica: int = 1  # which of the entry's processes (the local stack may run several)
    started_at: float = 0.0  # time.monotonic() at start
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.started_at = time.monotonic()
        output: int | IO[bytes] = subprocess.PIPE
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("ab")
            output = self._log
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if self.log_path is None:
            threading.Thread(target=self._echo, name=f"echo-{self.entry.name}", daemon=True).start()

    def _echo(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        prefix = f"{self.entry.name:>18} | "
        for line in iter(self.process.stdout.readline, b""):
            sys.stdout.write(prefix + line.decode("utf-8", "replace"))
            sys.stdout.flush()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, number: int) -> None:
        """Send `number` to the process (gunicorn passes it on to its workers)."""
        if self.running():
            assert self.process is not None
            os.kill(self.process.pid, number)

    def wait(self, timeout: float) -> int | None:
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill_group(self) -> None:
        """SIGKILL the process and anything it started (its session's process group)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()

    def terminate_group(self) -> None:
        """SIGTERM what the process started (after a crash: gunicorn's orphaned workers finish)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def tail(self, lines: int = 30) -> str:
        """The end of the process's log file (for error messages)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
