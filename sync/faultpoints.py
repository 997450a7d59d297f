"""Named places in the sync where a test may step in, e.g. to kill the process there.

The push calls ``faultpoint(AFTER_COMMIT)`` (and the others) at the exact moments a crash
matters most: before a batch is sent, inside central's transaction before its COMMIT, and
after central committed but before the till marked the batch sent. In the program nothing
is installed and a fault point is one global read and a comparison with None. A test
harness installs a handler (:func:`install`) that decides what happens there; the SIGKILL
one of the sync fault tests lives with them (``tests/faults/killpoints.py``).
"""

from __future__ import annotations

from collections.abc import Callable

BEFORE_SEND = "push.before_send"
BEFORE_COMMIT = "push.before_commit"
AFTER_COMMIT = "push.after_commit"
POINTS = (BEFORE_SEND, BEFORE_COMMIT, AFTER_COMMIT)

Handler = Callable[[str], None]

_handler: Handler | None = None


def faultpoint(point: str) -> None:
    """The program reached ``point``: call the installed handler, if any."""
    if _handler is not None:
        _handler(point)


def install(handler: Handler | None) -> Handler | None:
    """Install ``handler`` for every fault point (None removes it); returns the previous."""
    global _handler
    previous, _handler = _handler, handler
    return previous


__all__ = ["AFTER_COMMIT", "BEFORE_COMMIT", "BEFORE_SEND", "Handler", "POINTS", "faultpoint",
           "install"]
