"""`balai run` and `balai dev exec`: start the servers, then the processes, and stop all of it.

Ctrl-C (SIGINT) or SIGTERM stops every child process group, then the servers this
process started. If one child dies, the others are stopped too: a half-running
platform is worse than a stopped one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

from platform_core.runtime import servers
from platform_core.runtime.servers import log


def _env(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    env.setdefault("DJANGO_SETTINGS_MODULE", "platform_core.settings")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _bin(name: str) -> str:
    return os.path.join(os.path.dirname(sys.executable), name)


def exec_command(argv: Sequence[str], *, fast: bool = True) -> int:
    """Run one command with the servers up; stop the servers afterwards."""
    with servers.servers(fast=fast) as extra:
        env = _env(extra)
        proc = subprocess.Popen(list(argv), env=env)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            return proc.wait()


def run_platform(*, port: int, demo: str) -> int:
    with servers.servers(fast=False) as extra:
        env = _env(extra)
        balai = _bin("balai")
        subprocess.run([balai, "migrate"], env=env, check=True)
        subprocess.run([balai, "provision", *demo.split()], env=env, check=True)
        subprocess.run([balai, "seed_demo"], env=env, check=True)
        # Demo registers are loaded without outbox events: give the consoles their facts now.
        subprocess.run([balai, "recompute", "--provinsi", "18", "--no-progress"], env=env, check=True)
        processes = {
            "web": [
                _bin("gunicorn"),
                "platform_core.wsgi",
                "--bind",
                f"0.0.0.0:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--max-requests",
                "2000",
                "--max-requests-jitter",
                "200",
                "--access-logfile",
                "-",
            ],
            "worker": [_bin("celery"), "-A", "workers", "worker", "-l", "info", "--concurrency", "2", "-Q", _queues()],
            "beat": [
                _bin("celery"),
                "-A",
                "workers",
                "beat",
                "-l",
                "info",
                "-s",
                str(servers.var_dir() / "celerybeat-schedule"),
            ],
        }
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for name, argv in processes.items():
                children[name] = subprocess.Popen(argv, env=env, start_new_session=True)
            _wait_for_web(port)
            time.sleep(2)  # let the worker and beat finish their banners, so the URLs are the last lines
            subprocess.run([balai, "urls", "--port", str(port)], env=env, check=False)
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        log(f"proses {name} berhenti (kode {child.returncode}); menghentikan semua")
                        stopping = True
                time.sleep(0.3)
        finally:
            for name, child in children.items():
                if child.poll() is None:
                    log(f"stop {name}")
                    os.killpg(child.pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
    return 0


def _wait_for_web(port: int, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):  # our own server
                return
        except OSError:
            time.sleep(0.3)


def _queues() -> str:
    from workers.queues import QUEUE_NAMES

    return ",".join(QUEUE_NAMES)
