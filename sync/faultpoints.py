"""Named places where a fault test may kill this process with SIGKILL.

The sync fault tests run the real ``warungin sync --once`` in a child process and need it
to die at exact moments: before a batch is sent, after central received the batch but
before it committed, and after central committed but before the till marked the batch
sent. ``WARUNGIN_FAULT_POINT=name`` (or ``name:N`` — the N-th time the point is reached,
counting from 1) makes :func:`reached` kill the process there. Unset, it costs one dict
lookup. Nothing in production sets it.
"""

from __future__ import annotations

import os
import signal

ENV = "WARUNGIN_FAULT_POINT"

BEFORE_SEND = "push.before_send"
BEFORE_COMMIT = "push.before_commit"
AFTER_COMMIT = "push.after_commit"
POINTS = (BEFORE_SEND, BEFORE_COMMIT, AFTER_COMMIT)

_hits: dict[str, int] = {}


def reached(point: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _hits[point] = _hits.get(point, 0) + 1
    if _hits[point] >= (int(nth) if nth else 1):
        os.kill(os.getpid(), signal.SIGKILL)


__all__ = ["AFTER_COMMIT", "BEFORE_COMMIT", "BEFORE_SEND", "ENV", "POINTS", "reached"]
