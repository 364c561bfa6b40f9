"""A progress line every few seconds from a long command (load_demo, the benchmark's loader,
rotate_field_keys): an operator sees that it works, and how far it is."""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

EVERY = 5.0


class Progress:
    """What a command is doing now (`phase`) and how many items it has done (`advance`); a
    thread writes them every `every` seconds while the block runs, and once at its end."""

    def __init__(self, label: str, write: Callable[[str], object], every: float = EVERY):
        self.label, self.write, self.every = label, write, every
        self.phase = "starting"
        self.done = 0
        self.total: int | None = None
        self.started = time.monotonic()
        self._stop = threading.Event()

    def advance(self, count: int = 1) -> None:
        self.done += count

    def start_phase(self, phase: str, total: int | None = None) -> None:
        self.phase, self.done, self.total = phase, 0, total

    def line(self) -> str:
        counted = f"{self.done:,}" + (f"/{self.total:,}" if self.total is not None else "")
        items = f", {counted}" if self.done or self.total else ""
        return f"{self.label}: {self.phase}{items} ({time.monotonic() - self.started:.0f} s)"

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.write(self.line())


@contextlib.contextmanager
def progress(label: str, write: Callable[[str], object], every: float = EVERY) -> Iterator[Progress]:
    state = Progress(label, write, every)
    thread = threading.Thread(target=state._run, name=f"progress-{label}", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state._stop.set()
        thread.join()
    state.phase = "done"
    write(state.line())
