"""Before Qt starts (app/qt_check.py): a missing system library of Qt's platform plugin is
named with the Debian package to install, and the program exits with that message instead
of Qt's abort (exit 134); with no screen it says why no window opened."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app import qt_check
from app.qt_check import EXIT_NO_WINDOW, HEADLESS_REASON

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the system libraries are Linux's concern")

FAKE = {"libwarungin-fake-cursor.so.9": "libwarungin-fake-cursor9"}


def test_a_missing_library_is_named_with_the_package_to_install() -> None:
    why = qt_check.problem({"DISPLAY": ":0"}, {**FAKE, "libc.so.6": "libc6"})
    assert why is not None
    assert "libwarungin-fake-cursor.so.9" in why
    assert "sudo apt-get install libwarungin-fake-cursor9\n" in why
    assert "libc6" not in why  # present: not listed


def test_the_xcb_platform_needs_the_libraries_ci_installs() -> None:
    # The three a bare Debian lacks (the report) and the rest of .ci/qt-libs.sh.
    packages = set(qt_check.required("xcb").values())
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0",
            "libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3"} <= packages
    script = (Path(__file__).resolve().parents[2] / ".ci" / "qt-libs.sh").read_text()
    for lib in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"):
        assert lib in script
    assert "libxcb-cursor.so.0" not in qt_check.required("offscreen")


def test_the_platform_is_the_one_qt_will_start() -> None:
    assert qt_check.platform({"DISPLAY": ":0"}) == "xcb"
    assert qt_check.platform({"WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    assert qt_check.platform({"QT_QPA_PLATFORM": "offscreen"}) == "offscreen"
    assert qt_check.platform({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}) == "wayland"


def test_with_no_screen_it_says_why_no_window_opened() -> None:
    assert qt_check.problem({}) == HEADLESS_REASON
    assert "DISPLAY" in HEADLESS_REASON and "No window opened" in HEADLESS_REASON


def test_this_machine_has_what_the_tests_platform_needs() -> None:
    assert qt_check.missing(qt_check.required("offscreen")) == {}


def test_run_gui_says_what_to_install_and_exits_instead_of_aborting(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from app import gui

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(qt_check, "XCB", {**qt_check.XCB, **FAKE})
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)  # no QApplication yet
    assert gui.run_gui(tmp_path / "shop") == EXIT_NO_WINDOW
    err = capsys.readouterr().err
    assert "sudo apt-get install libwarungin-fake-cursor9" in err
    assert not (tmp_path / "shop").exists()  # nothing was started


def test_run_gui_with_no_screen_says_so(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    from app import gui

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)
    assert gui.run_gui(tmp_path / "shop") == EXIT_NO_WINDOW
    assert capsys.readouterr().err == HEADLESS_REASON


def test_warungin_alone_on_a_headless_machine_says_why_no_window(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    from app.cli.main import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--data-dir", str(tmp_path / "shop")]) == 0
    err = capsys.readouterr().err
    assert HEADLESS_REASON in err and "warungin sale" in err
