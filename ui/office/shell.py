"""The back office shell: a left navigation of large buttons and the screen on the right.

Screens are entries ``(key, title, factory, roles)`` in a registry, so a later issue adds
its screen (shipments, campaigns, expenses...) with one call, without touching this file::

    from ui.office.shell import OfficeScreen, register_screen
    register_screen(OfficeScreen("expenses", "office.nav.expenses", make_expenses_screen,
                                 roles=frozenset({"owner"})))

A factory takes an :class:`~ui.office.common.OfficeContext` and returns a QWidget; it
runs the first time the screen is opened (so a screen's heavy imports — QtCharts for the
dashboard — wait until then and never slow the till's start). A screen widget may have
``activate()`` (called each time it is shown: reload its data) and ``retranslate()``.

The role decides what is listed: only screens whose ``roles`` include the person's role;
the services check every action again. Keyboard: Ctrl+1..Ctrl+9 open the screens (shown on
the buttons), Tab moves through them, Ctrl+O (MainWindow) goes back to the till.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.users import Actor
from ui.backend import TillBackend
from ui.i18n import tr
from ui.office.common import OfficeContext, amp, big_button, button_text, font
from ui.tasks import TaskManager


OWNER = frozenset({"owner"})
SUPERVISOR_UP = frozenset({"supervisor", "owner"})


@dataclass(frozen=True)
class OfficeScreen:
    key: str
    title_id: str  # an ui.i18n message id
    factory: Callable[[OfficeContext], QWidget]
    roles: frozenset[str] = field(default=OWNER)


_SCREENS: list[OfficeScreen] = []


def register_screen(screen: OfficeScreen, *, before: str | None = None) -> None:
    """Add a screen to the navigation (at the end, or before the screen keyed ``before``).
    Registering a key again replaces that entry in place."""
    for i, have in enumerate(_SCREENS):
        if have.key == screen.key:
            _SCREENS[i] = screen
            return
    if before is not None:
        for i, have in enumerate(_SCREENS):
            if have.key == before:
                _SCREENS.insert(i, screen)
                return
    _SCREENS.append(screen)


def screens() -> tuple[OfficeScreen, ...]:
    return tuple(_SCREENS)


def screens_for(role: str) -> tuple[OfficeScreen, ...]:
    return tuple(s for s in _SCREENS if role in s.roles)


def may_open_office(role: str) -> bool:
    return bool(screens_for(role))


# --- the built-in screens: imported only when first opened ------------------------------

def _dashboard(ctx: OfficeContext) -> QWidget:
    from ui.office.dashboard import DashboardScreen
    return DashboardScreen(ctx)


def _reports(ctx: OfficeContext) -> QWidget:
    from ui.office.reports import ReportsScreen
    return ReportsScreen(ctx)


def _products(ctx: OfficeContext) -> QWidget:
    from ui.office.products import ProductsScreen
    return ProductsScreen(ctx)


def _users(ctx: OfficeContext) -> QWidget:
    from ui.office.users import UsersScreen
    return UsersScreen(ctx)


def _settings(ctx: OfficeContext) -> QWidget:
    from ui.office.settings import SettingsScreen
    return SettingsScreen(ctx)


def _shipments(ctx: OfficeContext) -> QWidget:
    from ui.shipments import ShipmentsScreen
    return ShipmentsScreen(ctx)


# --- the owner's books (issue 14): ui/books_*.py -----------------------------------------

def _expenses(ctx: OfficeContext) -> QWidget:
    from ui.books_expenses import ExpensesScreen
    return ExpensesScreen(ctx)


def _payables(ctx: OfficeContext) -> QWidget:
    from ui.books_payables import PayablesScreen
    return PayablesScreen(ctx)


def _receivables(ctx: OfficeContext) -> QWidget:
    from ui.books_receivables import ReceivablesScreen
    return ReceivablesScreen(ctx)


def _journal(ctx: OfficeContext) -> QWidget:
    from ui.books_journal import JournalScreen
    return JournalScreen(ctx)


def _statements(ctx: OfficeContext) -> QWidget:
    from ui.books_statements import StatementsScreen
    return StatementsScreen(ctx)


def _periods(ctx: OfficeContext) -> QWidget:
    from ui.books_periods import PeriodsScreen
    return PeriodsScreen(ctx)


def _analytics(ctx: OfficeContext) -> QWidget:
    from ui.books_analytics import AnalyticsScreen
    return AnalyticsScreen(ctx)


# --- stock alerts and scheduled emails (issue 15): ui/alerts_*.py -------------------------

def _reorder(ctx: OfficeContext) -> QWidget:
    from ui.alerts_reorder import ReorderScreen
    return ReorderScreen(ctx)


def _scheduled_emails(ctx: OfficeContext) -> QWidget:
    from ui.alerts_schedule import ScheduleScreen
    return ScheduleScreen(ctx)


# --- a customer's right to their data (issue 15): ui/personal_data_requests.py ------------

def _data_requests(ctx: OfficeContext) -> QWidget:
    from ui.personal_data_requests import DataRequestsScreen
    return DataRequestsScreen(ctx)


# --- segments and campaigns (issue 15): ui/campaigns_*.py --------------------------------

def _segments(ctx: OfficeContext) -> QWidget:
    from ui.campaigns_segments import SegmentsScreen
    return SegmentsScreen(ctx)


def _campaigns(ctx: OfficeContext) -> QWidget:
    from ui.campaigns_screen import CampaignsScreen
    return CampaignsScreen(ctx)


# --- loyalty points and members (issue 15): ui/loyalty_office.py ---------------------------

def _loyalty(ctx: OfficeContext) -> QWidget:
    from ui.loyalty_office import LoyaltyScreen
    return LoyaltyScreen(ctx)


for _screen in (OfficeScreen("dashboard", "office.nav.dashboard", _dashboard),
                OfficeScreen("reports", "office.nav.reports", _reports),
                OfficeScreen("products", "office.nav.products", _products, SUPERVISOR_UP),
                OfficeScreen("users", "office.nav.users", _users),
                OfficeScreen("settings", "office.nav.settings", _settings),
                OfficeScreen("shipments", "office.nav.shipments", _shipments, SUPERVISOR_UP),
                OfficeScreen("expenses", "office.nav.expenses", _expenses, SUPERVISOR_UP),
                OfficeScreen("payables", "office.nav.payables", _payables, SUPERVISOR_UP),
                OfficeScreen("receivables", "office.nav.receivables", _receivables),
                OfficeScreen("journal", "office.nav.journal", _journal),
                OfficeScreen("statements", "office.nav.statements", _statements),
                OfficeScreen("periods", "office.nav.periods", _periods),
                OfficeScreen("analytics", "office.nav.analytics", _analytics),
                OfficeScreen("reorder", "office.nav.reorder", _reorder, SUPERVISOR_UP),
                OfficeScreen("scheduled_emails", "office.nav.scheduled_emails",
                             _scheduled_emails),
                OfficeScreen("loyalty", "office.nav.loyalty", _loyalty, SUPERVISOR_UP),
                OfficeScreen("segments", "office.nav.segments", _segments, SUPERVISOR_UP),
                OfficeScreen("campaigns", "office.nav.campaigns", _campaigns, SUPERVISOR_UP),
                OfficeScreen("data_requests", "office.nav.data_requests", _data_requests,
                             SUPERVISOR_UP)):
    register_screen(_screen)


class OfficePage(QWidget):
    back_to_till = Signal()
    #: A screen is showing (value: its key); tests wait on it.
    screen_shown = Signal(str)

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: TillBackend | None = None
        self._actor: Actor | None = None
        self._entries: tuple[OfficeScreen, ...] = ()
        self._widgets: dict[str, QWidget] = {}
        self.current_key: str | None = None
        self.setObjectName("office")

        self.heading = QLabel()
        self.heading.setFont(font(16, bold=True))
        self.who = QLabel()
        self.who.setFont(font(11))
        self.nav_box = QVBoxLayout()
        self.nav_box.setSpacing(6)
        self.nav_buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.back = big_button(name="officeBack", height=52)
        self.back.clicked.connect(self.back_to_till.emit)

        nav = QFrame()
        nav.setObjectName("officeNav")
        nav.setFixedWidth(250)
        nav.setStyleSheet("#officeNav, #officeNavButtons { background: #eef2f7; }"
                          "#officeNav QPushButton { text-align: left; padding: 6px 12px; }"
                          "#officeNav QPushButton:checked { background: #12355b; "
                          "color: white; border-radius: 4px; }")
        nav_layout = QVBoxLayout(nav)
        nav_layout.addWidget(self.heading)
        nav_layout.addWidget(self.who)
        nav_layout.addSpacing(8)
        # Thirteen screens are taller than a 768-high window: the buttons scroll.
        buttons = QWidget()
        buttons.setObjectName("officeNavButtons")
        self.nav_box.setContentsMargins(0, 0, 0, 0)
        buttons_layout = QVBoxLayout(buttons)
        buttons_layout.setContentsMargins(0, 0, 0, 0)
        buttons_layout.addLayout(self.nav_box)
        buttons_layout.addStretch(1)
        self.nav_scroll = QScrollArea()
        self.nav_scroll.setObjectName("officeNavScroll")
        self.nav_scroll.setWidgetResizable(True)
        self.nav_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.nav_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_scroll.setWidget(buttons)
        nav_layout.addWidget(self.nav_scroll, 1)
        nav_layout.addWidget(self.back)

        self.stack = QStackedWidget()
        self.stack.setObjectName("officeStack")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(nav)
        outer.addWidget(self.stack, 1)

        for i in range(9):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=i: self._nth(n))
        self.retranslate()

    # --- life cycle -------------------------------------------------------------------
    def attach(self, backend: TillBackend) -> None:
        self._backend = backend

    def open(self, actor: Actor) -> bool:
        """Show the back office to ``actor``; False (and nothing shown) when the role has
        no screen here. A different person than last time gets fresh screens."""
        if self._backend is None or not may_open_office(actor.role):
            return False
        if actor != self._actor:
            self.reset()
            self._actor = actor
            self._entries = screens_for(actor.role)
            self._build_nav()
        self.retranslate()
        self.show_screen(self.current_key or self._entries[0].key)
        return True

    def reset(self) -> None:
        """Forget the screens (at logout): the next person starts afresh."""
        for w in self._widgets.values():
            self.stack.removeWidget(w)
            w.deleteLater()
        self._widgets.clear()
        for b in self.nav_buttons.values():
            self._group.removeButton(b)
            self.nav_box.removeWidget(b)
            b.deleteLater()
        self.nav_buttons.clear()
        self._entries = ()
        self._actor = None
        self.current_key = None

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def widget(self, key: str) -> QWidget | None:
        """The screen widget for ``key`` if it was opened (tests)."""
        return self._widgets.get(key)

    def _build_nav(self) -> None:
        for i, entry in enumerate(self._entries):
            b = big_button(name=f"nav_{entry.key}", height=56)
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, k=entry.key: self.show_screen(k))
            self._group.addButton(b)
            self.nav_box.addWidget(b)
            self.nav_buttons[entry.key] = b
            b.setProperty("shortcut_index", i + 1)

    def _nth(self, n: int) -> None:
        if n < len(self._entries):
            self.show_screen(self._entries[n].key)

    def show_screen(self, key: str) -> None:
        entry = next((e for e in self._entries if e.key == key), None)
        if entry is None or self._backend is None or self._actor is None:
            return
        widget = self._widgets.get(key)
        if widget is None:
            widget = entry.factory(OfficeContext(self._tasks, self._backend, self._actor))
            self._widgets[key] = widget
            self.stack.addWidget(widget)
        self.current_key = key
        self.nav_buttons[key].setChecked(True)
        self.nav_scroll.ensureWidgetVisible(self.nav_buttons[key])
        self.stack.setCurrentWidget(widget)
        activate = getattr(widget, "activate", None)
        if callable(activate):
            activate()
        self.screen_shown.emit(key)

    def retranslate(self) -> None:
        self.heading.setText(tr("office.title"))
        self.back.setText(button_text(tr("office.back")))
        if self._actor is not None:
            self.who.setText(tr("office.user", name=self._actor.name,
                                role=tr("role." + self._actor.role)))
        for i, entry in enumerate(self._entries):
            button = self.nav_buttons.get(entry.key)
            if button is not None:
                suffix = f"\nCtrl+{i + 1}" if i < 9 else ""
                button.setText(amp(tr(entry.title_id)) + suffix)
        for w in self._widgets.values():
            again = getattr(w, "retranslate", None)
            if callable(again):
                again()
