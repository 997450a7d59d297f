"""Before Qt starts: is there a screen, and are the system libraries of Qt's platform plugin
there? Qt itself aborts (exit 134, a core dump) when the xcb plugin cannot load, with a
message a shop owner cannot act on; this says which Debian packages to install instead.

The PySide6 wheels bring Qt but not the system libraries its platform plugins link to
(``ldd PySide6/Qt/plugins/platforms/libqxcb.so``); a bare Debian lacks a few of them, e.g.
``libxcb-cursor0``, ``libxcb-icccm4`` and ``libxcb-keysyms1`` (``.ci/qt-libs.sh`` installs
them for CI). Each library is looked up the way Qt's loader will find it (``dlopen`` by its
soname), so what is reported missing is what would make Qt abort.

No Qt import here: this runs before Qt is loaded.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping

#: Every platform plugin (offscreen and minimal included) loads these, through QtGui.
#: soname -> the Debian (12) package that has it.
COMMON: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libxcb.so.1": "libxcb1",
}

#: The xcb plugin (an X11 screen, Xvfb included) adds these.
XCB: dict[str, str] = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}

#: The wayland plugin adds these.
WAYLAND: dict[str, str] = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
}

#: What ``run_gui`` returns when the window cannot open (Qt would abort with 134).
EXIT_NO_WINDOW = 5


def platform(env: Mapping[str, str]) -> str:
    """The Qt platform plugin that will start: QT_QPA_PLATFORM's first choice if set, else
    wayland on a Wayland-only session, else xcb."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return "wayland"
    return "xcb"


def required(plugin: str) -> dict[str, str]:
    """The system libraries (soname -> Debian package) that ``plugin`` needs."""
    extra = XCB if plugin == "xcb" else WAYLAND if plugin == "wayland" else {}
    return {**COMMON, **extra}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing(libraries: Mapping[str, str]) -> dict[str, str]:
    """The libraries of ``libraries`` (soname -> package) that cannot be loaded."""
    return {soname: package for soname, package in libraries.items() if not _loads(soname)}


def install_command(packages: list[str]) -> str:
    return "sudo apt-get install " + " ".join(sorted(set(packages)))


def headless(env: Mapping[str, str]) -> bool:
    """No screen to open a window on (Linux and the BSDs: no X11 or Wayland display, and no
    Qt platform named outright, such as offscreen or eglfs on a kiosk)."""
    if sys.platform in ("win32", "darwin"):
        return False
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
                or env.get("QT_QPA_PLATFORM"))


HEADLESS_REASON = (
    "No window opened: this computer has no screen for it (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set, e.g. an SSH session, a server or CI).\n"
    "On a desktop, run warungin from a terminal inside the desktop session; over SSH use "
    "'ssh -X'; for a virtual screen: xvfb-run .venv/bin/warungin\n")


def _x_display_error(display: str) -> str | None:
    """Whether an X server answers at ``display`` (libxcb, as Qt's xcb plugin connects)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # reported as a missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        if xcb.xcb_connection_has_error(conn):
            return (f"No window opened: no X server answers at DISPLAY={display} (is the "
                    "desktop or Xvfb running, and may this user use it?).\n")
    finally:
        xcb.xcb_disconnect(conn)
    return None


def problem(env: Mapping[str, str] | None = None,
            libraries: Mapping[str, str] | None = None) -> str | None:
    """Why a Qt window cannot open here, in words a person can act on; None if it can.

    ``libraries`` (soname -> package) replaces the list the platform needs (tests)."""
    if not sys.platform.startswith("linux"):
        return None  # the wheels bring everything on Windows and macOS
    env = os.environ if env is None else env
    if headless(env):
        return HEADLESS_REASON
    plugin = platform(env)
    gone = missing(libraries if libraries is not None else required(plugin))
    if gone:
        names = ", ".join(sorted(gone))
        return (f"The window cannot open: the Qt '{plugin}' platform needs system "
                f"libraries that are not installed ({names}). Install them with:\n\n"
                f"    {install_command(list(gone.values()))}\n\n"
                "then run warungin again. (The command line works without them: "
                "warungin --help.)\n")
    if plugin == "xcb" and env.get("DISPLAY"):
        return _x_display_error(env["DISPLAY"])
    return None


__all__ = ["EXIT_NO_WINDOW", "HEADLESS_REASON", "headless", "install_command", "missing",
           "platform", "problem", "required"]
