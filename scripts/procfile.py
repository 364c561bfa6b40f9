"""Runs the processes of a Procfile together (`make serve`): each line's output prefixed with
its name, all stopped when one stops or on Ctrl-C / SIGTERM. The exit status is the first
process's to stop (0 if stopped by a signal).

A few lines of our own rather than honcho or foreman: the Procfile has three lines, and one
less dependency in production. Usage: python scripts/procfile.py [Procfile]
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


def read_procfile(path: Path) -> list[tuple[str, str]]:
    processes = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes.append((name.strip(), command.strip()))
    return processes


def relay(name: str, width: int, stream) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name.ljust(width)} | {line.decode('utf-8', 'replace')}")
        sys.stdout.flush()


def main() -> int:
    procfile = Path(sys.argv[1] if len(sys.argv) > 1 else "Procfile")
    processes = read_procfile(procfile)
    width = max(len(name) for name, _ in processes)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PYTHONUNBUFFERED", "1")
    running: dict[str, subprocess.Popen] = {}
    stopping = threading.Event()

    def stop(signum=None, frame=None):
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, command in processes:
        process = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {command}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=procfile.resolve().parent,
        )
        running[name] = process
        threading.Thread(target=relay, args=(name, width, process.stdout), daemon=True).start()
        print(f"{'procfile'.ljust(width)} | started {name} (pid {process.pid}): {command}", flush=True)
    status = 0
    while not stopping.is_set():
        exited = [(name, process) for name, process in running.items() if process.poll() is not None]
        if exited:
            name, process = exited[0]
            status = process.returncode or 1
            print(
                f"{'procfile'.ljust(width)} | {name} exited with {process.returncode}: stopping the others", flush=True
            )
            break
        time.sleep(0.2)
    for process in running.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 25
    for process in running.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return status


if __name__ == "__main__":
    sys.exit(main())
