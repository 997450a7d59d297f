"""Users and PINs (owner): the list, add a user, change a role, change a PIN, unlock.

Every change goes through services.users on the DB-writer lane (each is audited there);
the PIN fields take digits only and are never shown.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from services.users import UserRow
from ui.i18n import tr
from ui.office.common import (
    OK_STYLE,
    FieldErrors,
    OfficeContext,
    big_button,
    cell,
    font,
    read_only_table,
)
from ui.tasks import Lane


ROLES = ("cashier", "supervisor", "owner")


def _pin_field(name: str) -> QLineEdit:
    f = QLineEdit()
    f.setObjectName(name)
    f.setEchoMode(QLineEdit.EchoMode.Password)
    f.setMaxLength(8)
    f.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), f))
    f.setMinimumHeight(40)
    return f


def _role_combo(name: str) -> QComboBox:
    c = QComboBox()
    c.setObjectName(name)
    c.setMinimumHeight(40)
    for role in ROLES:
        c.addItem(role, role)
    return c


class UsersScreen(QWidget):
    #: The list was (re)loaded.
    loaded = Signal()
    #: A change was saved (value: the message shown).
    changed = Signal(str)
    #: A change was refused (value: the message shown).
    failed = Signal(str)

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._users: list[UserRow] = []
        self.setObjectName("usersScreen")
        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        self.table = read_only_table(4, name="usersTable")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = QLabel()
        self.message.setObjectName("usersMessage")
        self.errors = FieldErrors(QLabel())
        self.errors.general.setObjectName("usersError")

        # add a user
        self.add_box = QGroupBox()
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newName")
        self.new_name.setMaxLength(60)
        self.new_name.setMinimumHeight(40)
        self.new_role = _role_combo("newRole")
        self.new_pin = _pin_field("newPin")
        self.add_button = big_button(name="addUser")
        self.add_button.clicked.connect(self.add_user)
        self.new_pin.returnPressed.connect(self.add_user)
        add_form = QFormLayout(self.add_box)
        self._add_labels = (QLabel(), QLabel(), QLabel())
        add_form.addRow(self._add_labels[0], self.new_name)
        add_form.addRow("", self.errors.label_for("name"))
        add_form.addRow(self._add_labels[1], self.new_role)
        add_form.addRow(self._add_labels[2], self.new_pin)
        add_form.addRow("", self.errors.label_for("pin"))
        add_form.addRow(self.add_button)

        # change the selected user
        self.edit_box = QGroupBox()
        self.selected = QLabel()
        self.role = _role_combo("editRole")
        self.role_button = big_button(name="changeRole")
        self.role_button.clicked.connect(self.change_role)
        self.pin = _pin_field("editPin")
        self.pin_button = big_button(name="changePin")
        self.pin_button.clicked.connect(self.change_pin)
        self.pin.returnPressed.connect(self.change_pin)
        self.unlock_button = big_button(name="unlockUser")
        self.unlock_button.clicked.connect(self.unlock)
        edit = QVBoxLayout(self.edit_box)
        edit.addWidget(self.selected)
        row1 = QHBoxLayout()
        row1.addWidget(self.role, 1)
        row1.addWidget(self.role_button)
        edit.addLayout(row1)
        edit.addWidget(self.errors.label_for("role"))
        row2 = QHBoxLayout()
        row2.addWidget(self.pin, 1)
        row2.addWidget(self.pin_button)
        edit.addLayout(row2)
        edit.addWidget(self.errors.label_for("user_pin"))
        edit.addWidget(self.unlock_button)

        right = QVBoxLayout()
        right.addWidget(self.add_box)
        right.addWidget(self.edit_box)
        right.addWidget(self.message)
        right.addWidget(self.errors.general)
        right.addStretch(1)
        right_w = QWidget()
        right_w.setLayout(right)
        right_w.setFixedWidth(420)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(right_w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        self.retranslate()
        self._selection_changed()

    # --- data -------------------------------------------------------------------------
    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        backend = self._ctx.backend
        self._ctx.tasks.run_in_background(backend.office.users, self._show, self._failed,
                                          lane=Lane.POOL, owner=self)

    def _show(self, users: list[UserRow]) -> None:
        chosen = self.selected_user()
        self._users = users
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            self.table.setItem(r, 0, cell(u.name))
            self.table.setItem(r, 1, cell(tr("role." + u.role)))
            self.table.setItem(r, 2, cell(tr("users.locked_yes") if u.locked else ""))
            self.table.setItem(r, 3, cell(str(u.failed_pins), right=True))
        self.table.resizeColumnsToContents()
        if chosen is not None:
            self.select(chosen.name)
        self._selection_changed()
        self.loaded.emit()

    def selected_user(self) -> UserRow | None:
        row = self.table.currentRow()
        return self._users[row] if 0 <= row < len(self._users) else None

    def select(self, name: str) -> None:
        for r, u in enumerate(self._users):
            if u.name == name:
                self.table.selectRow(r)
                return

    def _selection_changed(self) -> None:
        u = self.selected_user()
        for w in (self.role, self.role_button, self.pin, self.pin_button):
            w.setEnabled(u is not None)
        self.unlock_button.setEnabled(u is not None and u.locked)
        if u is None:
            self.selected.setText(tr("users.none_selected"))
        else:
            self.selected.setText(tr("users.selected", name=u.name))
            self.role.setCurrentIndex(ROLES.index(u.role))

    # --- actions ----------------------------------------------------------------------
    def _run(self, fn: object, done_text: str) -> None:
        assert callable(fn)
        self.errors.clear()
        self.message.clear()

        def ok(_result: object) -> None:
            self.message.setStyleSheet(OK_STYLE)
            self.message.setText(done_text)
            self.reload()
            self.changed.emit(done_text)

        self._ctx.tasks.run_in_background(fn, ok, self._failed, lane=Lane.WRITER, owner=self)

    def _failed(self, exc: Exception) -> None:
        self.errors.show(exc)
        text = self.errors.general.text() or next(
            (lb.text() for lb in self.errors.labels.values() if lb.text()), "")
        self.failed.emit(text)

    def add_user(self) -> None:
        name, role, pin = self.new_name.text(), self.new_role.currentData(), self.new_pin.text()
        backend = self._ctx.backend

        def done() -> object:
            return backend.office.add_user(name, str(role), pin)

        self._run(done, tr("users.added", name=name.strip()))
        self.new_pin.clear()

    def change_role(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        role = str(self.role.currentData())
        backend = self._ctx.backend
        self._run(lambda: backend.office.change_role(u.id, role),
                  tr("users.role_changed", name=u.name))

    def change_pin(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        pin = self.pin.text()
        self.pin.clear()
        backend = self._ctx.backend

        def change() -> None:
            try:
                backend.office.change_pin(u.id, pin)
            except ShopError as exc:
                # The PIN rule's field is "pin"; here it belongs under this form's field.
                if exc.field == "pin":
                    exc.field = "user_pin"
                raise

        self._run(change, tr("users.pin_changed", name=u.name))

    def unlock(self) -> None:
        u = self.selected_user()
        if u is None:
            return
        backend = self._ctx.backend
        self._run(lambda: backend.office.unlock_user(u.id), tr("users.unlocked", name=u.name))

    def retranslate(self) -> None:
        self.title.setText(tr("users.title"))  # a label: "&" shows as is
        self.table.setHorizontalHeaderLabels([tr("users.col.name"), tr("users.col.role"),
                                              tr("users.col.locked"),
                                              tr("users.col.failed")])
        self.add_box.setTitle(tr("users.add"))
        for label, key in zip(self._add_labels, ("users.name", "users.role", "users.pin"),
                              strict=True):
            label.setText(tr(key))
        self.add_button.setText(tr("users.add_button"))
        self.role_button.setText(tr("users.change_role"))
        self.pin_button.setText(tr("users.change_pin"))
        self.unlock_button.setText(tr("users.unlock"))
        self.pin.setPlaceholderText(tr("users.new_pin"))
        for combo in (self.new_role, self.role):
            for i, role in enumerate(ROLES):
                combo.setItemText(i, tr("role." + role))
        self._selection_changed()
