"""The fault-point hook: nothing happens until a handler is installed; then it sees every point."""

from __future__ import annotations

from sync import faultpoints
from sync.faultpoints import AFTER_COMMIT, BEFORE_SEND, faultpoint, install


def test_a_fault_point_with_no_handler_does_nothing() -> None:
    previous = install(None)
    try:
        for point in faultpoints.POINTS:
            faultpoint(point)  # no handler: returns at once
    finally:
        install(previous)


def test_an_installed_handler_sees_each_point_reached() -> None:
    seen: list[str] = []
    previous = install(seen.append)
    try:
        faultpoint(BEFORE_SEND)
        faultpoint(AFTER_COMMIT)
    finally:
        install(previous)
    faultpoint(BEFORE_SEND)  # removed again: not seen
    assert seen == [BEFORE_SEND, AFTER_COMMIT]
