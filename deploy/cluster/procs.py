"""The cluster's processes: each runs in its own process group with its output prefixed by its
name (and a colour), so `make cluster` shows every log in one terminal."""

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_env as cluster

COLOURS = ["36", "32", "33", "35", "34", "31", "96", "92", "93"]
PG_USER = "postgres" if os.geteuid() == 0 else None
print_lock = threading.Lock()
# Set on Ctrl-C: set-up steps still running give up.
STOPPING = threading.Event()


def say(name: str, line: str, colour: str = "1") -> None:
    with print_lock:
        sys.stdout.write(f"\033[{colour}m{name:>8} |\033[0m {line}\n")
        sys.stdout.flush()


def run_step(name: str, args: list[str], *, user: str | None = None, check: bool = True) -> int:
    """A set-up command, run to completion with its output prefixed."""
    if STOPPING.is_set():
        raise SystemExit("cluster: stopped while starting")
    proc = subprocess.Popen(  # noqa: S603 (fixed argument lists)
        args,
        cwd=cluster.ROOT,
        env=cluster.environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        user=user,
    )
    for line in proc.stdout:
        say(name, line.rstrip())
    code = proc.wait()
    if check and code:
        raise SystemExit(f"{name}: {' '.join(args)} failed with {code}")
    return code


@dataclass
class Process:
    name: str
    args: list[str]
    user: str | None = None
    stop_signal: int = signal.SIGTERM
    colour: str = "1"
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = field(default=0)

    @property
    def pidfile(self):
        return cluster.VAR / "pids" / f"{self.name}.pid"

    @property
    def held(self) -> bool:
        return (cluster.VAR / "hold" / self.name).exists()

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            self.args,
            cwd=cluster.ROOT,
            env=cluster.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            user=self.user,
            start_new_session=True,  # its own process group: killed as one by the drill
        )
        self.started_at = time.monotonic()
        self.pidfile.write_text(str(self.proc.pid))
        threading.Thread(target=self._pump, args=(self.proc,), daemon=True).start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            say(self.name, line.rstrip(), self.colour)

    def stop(self, timeout: float = 15) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, self.stop_signal)
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass
        self.pidfile.unlink(missing_ok=True)
