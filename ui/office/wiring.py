"""Wire the back office into the main window: its page among the stacked pages, Ctrl+O
from the till (and back), a "Back office (Ctrl+O)" button beside the status bar for the
roles that have a screen there, and a fresh start at every logout.

Kept here so that ``ui/main_window.py`` needs two lines (make it, retranslate it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QPushButton

from ui.i18n import tr
from ui.office.shell import OfficePage, may_open_office

if TYPE_CHECKING:
    from ui.window_parts import TillWindow


class OfficeWiring(QObject):
    def __init__(self, window: TillWindow) -> None:
        super().__init__(window.window())
        self._window = window
        self.page = OfficePage(window.tasks)
        window.pages.addWidget(self.page)
        self.button = QPushButton()
        self.button.setObjectName("openOffice")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the till's scan box keeps it
        self.button.setMinimumHeight(30)
        self.button.clicked.connect(self.toggle)
        self.button.hide()
        # Beside the sync status bar, so the till loses no height.
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        if isinstance(layout, QBoxLayout) and layout.indexOf(window.status) >= 0:
            index = layout.indexOf(window.status)
            layout.removeWidget(window.status)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(0)
            row.addWidget(window.status, 1)
            row.addWidget(self.button)
            layout.insertLayout(index, row)
        self.shortcut = QShortcut(QKeySequence("Ctrl+O"), window.window())
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.toggle)
        self.page.back_to_till.connect(self.back_to_till)
        window.login.logged_in.connect(lambda _actor: self._refresh_button())
        # Logging out may ask first (unsent items): act when the login page shows.
        window.pages.currentChanged.connect(lambda _i: self._page_changed())
        self.retranslate()

    def allowed(self) -> bool:
        actor = self._window.actor
        return actor is not None and may_open_office(actor.role)

    def open(self) -> bool:
        """Show the back office to whoever is logged in; False if their role has none."""
        w = self._window
        if w.backend is None or w.actor is None or not self.allowed():
            return False
        if w.pages.currentWidget() not in (w.till, self.page):
            return False  # not from the login or loading screens
        self.page.attach(w.backend)
        if not self.page.open(w.actor):
            return False
        w.pages.setCurrentWidget(self.page)
        self._refresh_button()
        return True

    def back_to_till(self) -> None:
        w = self._window
        if w.pages.currentWidget() is self.page:
            w.pages.setCurrentWidget(w.till)
            w.till.focus_scan()
        self._refresh_button()

    def toggle(self) -> None:
        if self._window.pages.currentWidget() is self.page:
            self.back_to_till()
        elif not self.open():
            self._say_why()

    def _say_why(self) -> None:
        """Ctrl+O from the till by someone whose role has no back-office screen: say so
        on the till's message line (nothing else would show)."""
        w = self._window
        actor = w.actor
        if actor is None or self.allowed() or w.pages.currentWidget() is not w.till:
            return
        w.till.say(tr("office.not_allowed", name=actor.name, role=tr("role." + actor.role)),
                   error=True)

    def _page_changed(self) -> None:
        if self._window.pages.currentWidget() is self._window.login:
            self.page.reset()  # logged out: the next person starts afresh
        self._refresh_button()

    def _refresh_button(self) -> None:
        w = self._window
        self.button.setVisible(self.allowed()
                               and w.pages.currentWidget() in (w.till, self.page))
        on_office = self._window.pages.currentWidget() is self.page
        self.button.setText(tr("office.back") if on_office else tr("office.open"))

    def retranslate(self) -> None:
        self.page.retranslate()
        self._refresh_button()


def install(window: TillWindow) -> OfficeWiring:
    return OfficeWiring(window)
