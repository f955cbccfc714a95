"""A small process supervisor for ``make run``: restarts what dies, stops all on Ctrl-C.

honcho stops every process when one exits, which turns one crashed worker into a dead
system. supervisord and circus restart, but want config files, a daemon and (circus) ZeroMQ;
this needs a dict of commands and nothing else. Each command runs in its own process group,
so a crash takes its children with it (a Celery worker's pool) and a stop reaches them all.
Output lines are prefixed with the process name, as honcho printed them.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

BACKOFF_START = 1.0
BACKOFF_CAP = 30.0
STABLE_AFTER = 60.0  # a process that ran this long gets a fresh back-off
STOP_GRACE = 10.0


def say(name: str, text: str) -> None:
    stamp = time.strftime("%H:%M:%S")
    sys.stdout.write(f"{stamp} {name:<24}| {text}\n")
    sys.stdout.flush()


@dataclass
class Child:
    name: str
    command: str
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_START
    restart_at: float | None = None
    restarts: int = 0
    pump: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            shlex.split(self.command),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        say("supervisor", f"{self.name} started (pid {self.proc.pid})")
        self.pump = threading.Thread(target=self._pump, args=(self.proc,), daemon=True)
        self.pump.start()

    def _pump(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            say(self.name, raw.decode(errors="replace").rstrip("\n"))

    def signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)


class Supervisor:
    def __init__(self, commands: dict[str, str], env: dict[str, str]):
        self.children = [Child(name, cmd, dict(env)) for name, cmd in commands.items()]
        self.stopping = False

    def _on_signal(self, signum, _frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for child in self.children:
            child.start()
        while not self.stopping:
            self.tick(time.monotonic())
            time.sleep(0.2)
        return self.stop()

    def tick(self, now: float) -> None:
        """Notice deaths, schedule restarts with back-off, start what is due."""
        for child in self.children:
            proc = child.proc
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    child.start()
                continue
            if proc is None or proc.poll() is None:
                continue
            child.signal_group(signal.SIGKILL)  # orphans of the dead (a worker's pool)
            if now - child.started_at >= STABLE_AFTER:
                child.backoff = BACKOFF_START
            say(
                "supervisor",
                f"{child.name} exited with code {proc.returncode}; "
                f"restarting in {child.backoff:.0f}s",
            )
            child.restart_at = now + child.backoff
            child.backoff = min(BACKOFF_CAP, child.backoff * 2)

    def stop(self) -> int:
        say("supervisor", "stopping all processes")
        running = [c for c in self.children if c.proc is not None and c.proc.poll() is None]
        for child in running:
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for child in running:
            try:
                child.proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say("supervisor", f"{child.name} did not stop in time: killed")
                child.signal_group(signal.SIGKILL)
                child.proc.wait(5)
        for child in self.children:
            child.signal_group(signal.SIGKILL)  # whatever of a group is left
        say("supervisor", "all stopped")
        return 0
