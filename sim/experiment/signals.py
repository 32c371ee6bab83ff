"""Stopping a run on a signal: SIGTERM and SIGHUP are handled like Ctrl-C (SIGINT).

While a run goes on, SIGTERM (``kill``, ``timeout``) and SIGHUP (a closed terminal) raise
``Stopped`` in the main thread, a ``KeyboardInterrupt`` that remembers its signal, so that
they stop the run where Ctrl-C would: the workers are stopped, the set is marked
interrupted and the command exits with 128 + the signal's number (130, 143, 129).
While the run cleans up after a stop, further signals are noted and ignored.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_NAMES = {
    signal.SIGINT: "interrupted (Ctrl-C)",
    signal.SIGTERM: "terminated (SIGTERM)",
    signal.SIGHUP: "hung up (SIGHUP)",
}


class Stopped(KeyboardInterrupt):
    """A stop signal arrived; ``signum`` says which (SIGINT for Ctrl-C)."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number."""
        return 128 + self.signum

    @property
    def reason(self) -> str:
        """What happened, in a few words."""
        return _NAMES.get(signal.Signals(self.signum), f"stopped by signal {self.signum}")


def as_stopped(exc: KeyboardInterrupt) -> Stopped:
    """A ``KeyboardInterrupt`` as a ``Stopped`` (a plain one is Ctrl-C)."""
    return exc if isinstance(exc, Stopped) else Stopped(signal.SIGINT)


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


def _ignore(signum: int, frame: FrameType | None) -> None:
    """Noted and ignored: the run is already stopping."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _handlers(handler: object, signals: tuple[int, ...]) -> Iterator[None]:
    """Set ``handler`` for ``signals``, except those ignored (``nohup``, a background job)."""
    if not _in_main_thread():  # (handlers can only be set from the main thread)
        yield
        return
    previous = {s: old for s in signals if (old := signal.getsignal(s)) is not signal.SIG_IGN}
    try:
        for s in signals:
            signal.signal(s, handler)
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old if old is not None else signal.SIG_DFL)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Stopped`` (SIGINT keeps raising
    ``KeyboardInterrupt``), unless they are ignored (as ``nohup`` does with SIGHUP). The
    previous handlers are restored afterwards.
    """
    with _handlers(_raise_stopped, (signal.SIGTERM, signal.SIGHUP)):
        yield


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block (a stop's clean-up), SIGINT, SIGTERM and SIGHUP are ignored."""
    with _handlers(_ignore, STOP_SIGNALS):
        yield


@contextmanager
def ignored_by_children() -> Iterator[None]:
    """Within the block, stop signals are ignored, and so are they by the processes started
    then (they keep an ignored signal ignored): for workers the parent stops itself.
    """
    with _handlers(signal.SIG_IGN, STOP_SIGNALS):
        yield


def ignore_in_worker() -> None:
    """For worker processes: the parent stops them, so stop signals sent to the whole
    process group (Ctrl-C, ``timeout``, a closed terminal) are ignored; and on Linux a
    worker is killed when the parent dies, so that none is left behind.
    """
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
