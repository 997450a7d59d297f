"""Points and members in the back office ("Poin & member", issue 15), in two tabs: the
loyalty programme's settings (the owner changes them; ``services.loyalty_settings`` checks
every field and the refusal is shown under the field it names), and the members: a search
by name or phone, and the chosen member's balance, its rupiah value, tier and points ledger.

Reads run on the pool lane, a save on the DB-writer lane, through ``backend.money`` and
``backend.cart``; the screen holds no rule of its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from ui.i18n import language, number, rupiah, tr, when
from ui.office.common import OfficeContext, big_button, font
from ui.tasks import Lane, describe_error

if TYPE_CHECKING:
    from services.customer_card import CustomerCard
    from services.loyalty import MemberPoints
    from services.loyalty_ledger import LedgerRow
    from services.loyalty_settings import LoyaltySettings, Tier

LEDGER_COLUMNS = ("created_at", "kind", "points", "spend", "value", "expires_at", "reason")
TIER_COLUMNS = ("code", "name", "threshold", "multiplier")
BASES = ("spend", "points")
#: The settings' fields in the form's order (each has ``loyalty.field.<name>``).
FIELDS = ("enabled", "step", "points_per_step", "floor", "point_value", "same_sale",
          "expiry_months", "tier_basis", "tiers")
_ERROR, _OK = "color: #b00020;", "color: #1b5e20;"
_TIER_FIELD = re.compile(r"^tiers\[(\d+)\]\.(\w+)$")


def _locale() -> QLocale:
    """Digits grouped as the screen's language writes them (``10.000`` in Indonesian), not
    as the machine's C locale does."""
    if language() == "en":
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def _spin(name: str, top: int) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setLocale(_locale())
    box.setRange(0, top)
    box.setGroupSeparatorShown(True)
    return box


def _multiplier(value: Decimal) -> str:
    """``1,25`` in Indonesian, ``1.25`` in English (either is read back)."""
    text = str(value)
    return text if language() == "en" else text.replace(".", ",")


def kind_text(kind: str) -> str:
    """A ledger row's kind in words (an unknown kind, from a newer till, as stored)."""
    try:
        return tr(f"loyalty.kind.{kind}")
    except KeyError:
        return kind


def ledger_cells(r: LedgerRow) -> tuple[str, ...]:
    """One ledger row as the table shows it: times on the store's clock, money in rupiah."""
    return (when(r.created_at), kind_text(r.kind), number(r.points),
            rupiah(r.spend) if r.spend else "", rupiah(r.value) if r.value else "",
            when(r.expires_at), r.reason or "")


def _whole(text: str) -> str:
    """A threshold as typed (``1.000.000``, ``Rp 1,000,000``) as digits; anything else is
    passed on as typed so the service names the field."""
    digits = re.sub(r"[\s.,]|^Rp", "", text.strip())
    return digits if digits.isdigit() else text.strip()


class TierTable(QWidget):
    """The member tiers as rows (code, name, threshold, multiplier) with add/remove."""

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, len(TIER_COLUMNS))
        self.table.setObjectName("loyaltyTiers")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(130)
        self.add_button = big_button(tr("loyalty.tier.add"), name="loyaltyTierAdd", height=36)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = big_button(tr("loyalty.tier.remove"), name="loyaltyTierRemove",
                                        height=36)
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        self.set_basis("spend")

    def set_basis(self, basis: str) -> None:
        """Thresholds are rupiah of spend or points, as the tiers are measured."""
        threshold = "loyalty.tier.threshold_" + ("points" if basis == "points" else "spend")
        self.table.setHorizontalHeaderLabels([
            tr("loyalty.tier.code"), tr("loyalty.tier.name"), tr(threshold),
            tr("loyalty.tier.multiplier")])

    def retranslate(self) -> None:
        self.add_button.setText(tr("loyalty.tier.add"))
        self.remove_button.setText(tr("loyalty.tier.remove"))

    def set_tiers(self, tiers: tuple[Tier, ...]) -> None:
        self.table.setRowCount(0)
        for t in tiers:
            self.add_row((t.code, t.name, number(t.threshold), _multiplier(t.multiplier)))
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)

    def add_row(self, cells: tuple[str, ...] = ("", "", "", "1")) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for j, text in enumerate(cells):
            self.table.setItem(row, j, QTableWidgetItem(text))
        self.table.setCurrentCell(row, 0)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return "" if item is None else item.text().strip()

    def value(self) -> list[dict[str, str]]:
        """The rows as ``parse_changes`` takes them (the service checks every value)."""
        return [{"code": self._cell(i, 0), "name": self._cell(i, 1),
                 "threshold": _whole(self._cell(i, 2)),
                 "multiplier": self._cell(i, 3).replace(",", ".") or "1"}
                for i in range(self.table.rowCount())]


def _with_error(widget: QWidget, name: str) -> tuple[QWidget, QLabel]:
    """``widget`` with a (hidden) refusal line under it."""
    holder = QWidget()
    error = QLabel()
    error.setObjectName(f"loyaltyError_{name}")
    error.setStyleSheet(_ERROR)
    error.setWordWrap(True)
    error.hide()
    lay = QVBoxLayout(holder)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(widget)
    lay.addWidget(error)
    return holder, error


class LoyaltyScreen(QWidget):
    #: The settings are on screen (or a member's ledger is), or a read failed.
    loaded = Signal()

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self.setObjectName("loyaltyScreen")
        self._ctx = ctx
        self._asked = 0
        self.settings: LoyaltySettings | None = None
        self.member: MemberPoints | None = None
        self._shown: tuple[str, tuple[MemberPoints, tuple[LedgerRow, ...]]] | None = None
        self.title = title = QLabel(tr("loyalty.office.title"))
        title.setFont(font(18, bold=True))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("loyaltyTabs")
        self.tabs.addTab(self._settings_tab(), tr("loyalty.office.tab_settings"))
        self.tabs.addTab(self._members_tab(), tr("loyalty.office.tab_members"))
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)

    def _settings_tab(self) -> QWidget:
        self.enabled = QCheckBox()
        self.enabled.setObjectName("loyaltyEnabled")
        self.step = _spin("loyaltyStep", 100_000_000)
        self.points_per_step = _spin("loyaltyPointsPerStep", 1_000_000)
        self.floor = _spin("loyaltyFloor", 1_000_000_000)
        self.point_value = _spin("loyaltyPointValue", 1_000_000)
        self.same_sale = QCheckBox()
        self.same_sale.setObjectName("loyaltySameSale")
        self.expiry = _spin("loyaltyExpiry", 120)
        self.basis = QComboBox()
        self.basis.setObjectName("loyaltyBasis")
        for code in BASES:
            self.basis.addItem(tr(f"loyalty.basis.{code}"), code)
        self.tiers = TierTable()
        self.basis.currentIndexChanged.connect(lambda _i: self.tiers.set_basis(self.basis_code))
        self.errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, widget in zip(FIELDS, (self.enabled, self.step, self.points_per_step,
                                         self.floor, self.point_value, self.same_sale,
                                         self.expiry, self.basis, self.tiers), strict=True):
            holder, self.errors[name] = _with_error(widget, name)
            label = QLabel(tr(f"loyalty.field.{name}"))
            self._labels[name] = label
            form.addRow(label, holder)
        self.save_button = big_button(tr("loyalty.office.save"), name="loyaltySave")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("loyaltyMessage")
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.message, 1)
        tab = QWidget()
        lay = QVBoxLayout(tab)
        lay.addLayout(form)
        lay.addLayout(bottom)
        lay.addStretch(1)
        return tab

    def _members_tab(self) -> QWidget:
        self.search = QLineEdit()
        self.search.setObjectName("loyaltySearch")
        self.search.setPlaceholderText(tr("loyalty.office.search"))
        self.search.returnPressed.connect(self.search_now)
        self.search_button = big_button(tr("loyalty.office.find"), name="loyaltyFind",
                                        height=36)
        self.search_button.clicked.connect(self.search_now)
        self.search.setMinimumHeight(36)
        self.results = QListWidget()
        self.results.setObjectName("loyaltyResults")
        self.results.setFont(font(11))
        self.results.setSpacing(2)
        self.results.setAlternatingRowColors(True)
        self.results.currentItemChanged.connect(lambda item, _old: self._chosen(item))
        self.found = QLabel()
        self.found.setObjectName("loyaltyFound")
        self.found.setWordWrap(True)
        left = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.search_button)
        left.addLayout(row)
        left.addWidget(self.found)
        left.addWidget(self.results, 1)

        self.member_name = QLabel()
        self.member_name.setObjectName("loyaltyMemberName")
        self.member_name.setFont(font(14, bold=True))
        self.balance = QLabel(tr("loyalty.office.pick"))
        self.balance.setObjectName("loyaltyBalance")
        self.balance.setFont(font(13))
        self.balance.setWordWrap(True)
        self.table = QTableWidget(0, len(LEDGER_COLUMNS))
        self.table.setObjectName("loyaltyLedger")
        self.table.setHorizontalHeaderLabels([tr(f"loyalty.col.{c}") for c in LEDGER_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        right = QVBoxLayout()
        right.addWidget(self.member_name)
        right.addWidget(self.balance)
        right.addWidget(self.table, 1)

        tab = QWidget()
        lay = QHBoxLayout(tab)
        lay.addLayout(left, 3)
        lay.addLayout(right, 7)
        return tab

    def retranslate(self) -> None:
        """The screen's words in the language just chosen (the shell asks)."""
        self.title.setText(tr("loyalty.office.title"))
        self.tabs.setTabText(0, tr("loyalty.office.tab_settings"))
        self.tabs.setTabText(1, tr("loyalty.office.tab_members"))
        for name, label in self._labels.items():
            label.setText(tr(f"loyalty.field.{name}"))
        for i, code in enumerate(BASES):
            self.basis.setItemText(i, tr(f"loyalty.basis.{code}"))
        self.tiers.retranslate()
        self.tiers.set_basis(self.basis_code)
        for box in (self.step, self.points_per_step, self.floor, self.point_value, self.expiry):
            box.setLocale(_locale())
        self.save_button.setText(tr("loyalty.office.save"))
        self.search.setPlaceholderText(tr("loyalty.office.search"))
        self.search_button.setText(tr("loyalty.office.find"))
        self.table.setHorizontalHeaderLabels([tr(f"loyalty.col.{c}") for c in LEDGER_COLUMNS])
        if self._shown is not None:
            self._ledger(*self._shown)
        else:
            self.balance.setText(tr("loyalty.office.pick"))

    @property
    def basis_code(self) -> str:
        return str(self.basis.currentData() or "spend")

    # --- loading ----------------------------------------------------------------------
    def activate(self) -> None:
        money = self._ctx.backend.money
        self._ctx.tasks.run_in_background(money.loyalty_settings, self._loaded,
                                          self._load_failed, lane=Lane.POOL, owner=self)

    def _show_settings(self, s: LoyaltySettings) -> None:
        self.settings = s
        self.enabled.setChecked(s.enabled)
        self.step.setValue(s.step)
        self.points_per_step.setValue(s.points_per_step)
        self.floor.setValue(s.floor)
        self.point_value.setValue(s.point_value)
        self.same_sale.setChecked(s.same_sale)
        self.expiry.setValue(s.expiry_months)
        self.basis.setCurrentIndex(max(0, self.basis.findData(s.tier_basis)))
        self.tiers.set_basis(s.tier_basis)
        self.tiers.set_tiers(s.tiers)
        self._clear_errors()

    def _loaded(self, s: LoyaltySettings) -> None:
        self._show_settings(s)
        self.loaded.emit()

    def _load_failed(self, exc: Exception) -> None:
        self._say(describe_error(exc), error=True)
        self.loaded.emit()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(_ERROR if error else _OK)
        self.message.setText(text)

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    # --- saving -----------------------------------------------------------------------
    def changes(self) -> dict[str, object]:
        return {"enabled": self.enabled.isChecked(), "step": self.step.value(),
                "points_per_step": self.points_per_step.value(), "floor": self.floor.value(),
                "point_value": self.point_value.value(), "same_sale": self.same_sale.isChecked(),
                "expiry_months": self.expiry.value(), "tier_basis": self.basis_code,
                "tiers": self.tiers.value()}

    def save(self) -> None:
        money, changes = self._ctx.backend.money, self.changes()
        self._clear_errors()
        self.message.clear()
        self._ctx.tasks.run_in_background(lambda: money.save_loyalty_settings(changes),
                                          self._saved, self._refused, lane=Lane.WRITER,
                                          owner=self)

    def _saved(self, s: LoyaltySettings) -> None:
        self._show_settings(s)
        self._say(tr("loyalty.office.saved"), error=False)

    def _refused(self, exc: Exception) -> None:
        """The service's refusal under the field it names (a tier's cell chosen)."""
        field = exc.field if isinstance(exc, ShopError) else None
        tier = _TIER_FIELD.match(field or "")
        name = "tiers" if tier else field
        if name in self.errors:
            label = self.errors[name]
            label.setText(describe_error(exc))
            label.show()
            if tier:
                row, col = int(tier.group(1)), tier.group(2)
                if col in TIER_COLUMNS:
                    self.tiers.table.setCurrentCell(row, TIER_COLUMNS.index(col))
            self._say(tr("loyalty.office.fix"), error=True)
        else:
            self._say(describe_error(exc), error=True)

    # --- members ----------------------------------------------------------------------
    def search_now(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        self._asked += 1
        asked = self._asked
        cart = self._ctx.backend.cart

        def find() -> list[CustomerCard]:
            # Each hit's card: its masked phone, tier and points (a hit erased meanwhile
            # is left out).
            cards = []
            for hit in cart.find_customers(text):
                try:
                    cards.append(cart.customer_card(hit.id))
                except ShopError:
                    continue
            return cards

        self.found.setStyleSheet("")
        self.found.setText(tr("loyalty.office.searching"))
        self._ctx.tasks.run_in_background(
            find, lambda cards: self._show_hits(asked, cards),
            lambda exc: self._search_failed(asked, exc), lane=Lane.POOL, owner=self)

    def _show_hits(self, asked: int, cards: list[CustomerCard]) -> None:
        if asked != self._asked:
            return
        self.results.clear()
        self.found.setText("" if cards else tr("loyalty.office.none"))
        for card in cards:
            # Two lines, so a long name does not push the points out of sight.
            parts = [card.phone or tr("loyalty.office.no_phone")]
            if card.points is not None:
                parts += [card.tier or "", tr("loyalty.office.points", points=number(card.points))]
            item = QListWidgetItem(card.name + "\n" + " · ".join(p for p in parts if p))
            item.setData(Qt.ItemDataRole.UserRole, card)
            self.results.addItem(item)
        if cards:
            self.results.setCurrentRow(0)  # shows the first member's ledger
        else:
            self.loaded.emit()

    def _search_failed(self, asked: int, exc: Exception) -> None:
        if asked == self._asked:
            self.found.setStyleSheet(_ERROR)
            self.found.setText(describe_error(exc))
            self.loaded.emit()

    def _chosen(self, item: QListWidgetItem | None) -> None:
        card = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        if card is not None:
            self.show_ledger(card.id, card.name)

    def show_ledger(self, customer_id: str, name: str = "") -> None:
        money = self._ctx.backend.money
        self._asked += 1
        asked = self._asked

        def shown(got: tuple[MemberPoints, tuple[LedgerRow, ...]]) -> None:
            if asked == self._asked:
                self._ledger(name, got)
                self.loaded.emit()

        def failed(exc: Exception) -> None:
            if asked == self._asked:
                self.balance.setText(describe_error(exc))
                self.loaded.emit()

        self._ctx.tasks.run_in_background(lambda: money.loyalty_ledger(customer_id), shown,
                                          failed, lane=Lane.POOL, owner=self)

    def _ledger(self, name: str, got: tuple[MemberPoints, tuple[LedgerRow, ...]]) -> None:
        member, rows = got
        self.member = member
        self._shown = (name, got)
        self.member_name.setText(name)
        self.balance.setText(tr("loyalty.office.balance", points=number(member.balance),
                                value=rupiah(member.value), tier=member.tier_name))
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate(ledger_cells(r)):
                item = QTableWidgetItem(text)
                if LEDGER_COLUMNS[j] in ("points", "spend", "value"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)


__all__ = ["LoyaltyScreen", "kind_text", "ledger_cells"]
