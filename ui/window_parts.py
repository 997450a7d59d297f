"""What the main window's add-ons (receipts, the sync area, the back office) use of it, as
a Protocol: they are wired in by ``ui/main_window.py`` and must not import it back (an
import circle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget, QWidget

    from services.users import Actor
    from ui.backend import TillBackend
    from ui.login import LoginPage
    from ui.status_bar import SyncStatusBar
    from ui.tasks import TaskManager
    from ui.till import TillPage


class TillWindow(Protocol):
    """``ui.main_window.MainWindow`` as its add-ons see it."""

    tasks: TaskManager
    pages: QStackedWidget
    login: LoginPage
    till: TillPage
    status: SyncStatusBar
    backend: TillBackend | None
    actor: Actor | None

    def window(self) -> QWidget:
        """The window itself, as the Qt parent of what an add-on makes."""
        ...

    def centralWidget(self) -> QWidget | None: ...  # noqa: N802 (Qt's name)

    def activateWindow(self) -> None: ...  # noqa: N802 (Qt's name)
