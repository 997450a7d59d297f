"""The sync fault tests' fault-point handler: SIGKILL this process at a named point.

``WARUNGIN_FAULT_POINT=name`` (or ``name:N``: the N-th time the point is reached, counting
from 1) names where to die; the points are those of ``sync/faultpoints.py``. The program
itself only calls its fault points; killing is this harness's doing. The tests run the real
``warungin`` command line through this module so that the handler is installed first::

    python -m tests.faults.killpoints sync --once --data-dir ... --batch-size 4

Without the variable nothing is installed and this is ``warungin`` itself.
"""

from __future__ import annotations

import os
import signal
import sys

from sync.faultpoints import POINTS, Handler, install

ENV = "WARUNGIN_FAULT_POINT"


def killer(wanted: str) -> Handler:
    """A handler that SIGKILLs this process the N-th time it reaches the point named in
    ``wanted`` (``name`` or ``name:N``)."""
    name, _, nth = wanted.partition(":")
    if name not in POINTS:
        raise ValueError(f"{ENV}: no fault point {name!r} (known: {', '.join(POINTS)})")
    times = int(nth) if nth else 1
    hits = 0

    def handle(point: str) -> None:
        nonlocal hits
        if point != name:
            return
        hits += 1
        if hits >= times:
            os.kill(os.getpid(), signal.SIGKILL)

    return handle


def main(argv: list[str]) -> int:
    wanted = os.environ.get(ENV)
    if wanted:
        install(killer(wanted))
    from app.cli.main import main as warungin
    return warungin(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
