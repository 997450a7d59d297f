"""PIN login: pick a user, type the PIN (keyboard or the on-screen pad), Enter.

The PIN check runs on the DB-writer lane (scrypt is slow on purpose, and a wrong PIN is a
write: the failure count). Wrong PIN and lockout messages are the service's own, shown
plainly under the field.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.users import Actor, UserChoice
from ui.backend import TillBackend
from ui.i18n import tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font


class LoginPage(QWidget):
    logged_in = Signal(object)  # services.users.Actor
    #: The user list arrived (tests and the screenshot script wait on it).
    users_loaded = Signal()
    language_toggled = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: TillBackend | None = None
        self._busy = False
        self.setObjectName("loginPage")

        self.title = QLabel()
        self.title.setFont(_font(22, bold=True))
        self.store = QLabel()
        self.store.setFont(_font(14))
        self.user_label = QLabel()
        self.user_label.setFont(_font(13))
        self.users = QListWidget()
        self.users.setObjectName("users")
        self.users.setFont(_font(16))
        self.users.setMinimumWidth(280)
        self.users.itemSelectionChanged.connect(self._user_chosen)
        self.pin_label = QLabel()
        self.pin_label.setFont(_font(13))
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"),
                                                          self.pin))
        self.pin.setFont(_font(22))
        self.pin.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        self.ok = QPushButton()
        self.ok.setObjectName("loginOk")
        self.ok.setMinimumHeight(56)
        self.ok.setFont(_font(16, bold=True))
        self.ok.clicked.connect(self.submit)
        self.language = QPushButton()
        self.language.setMinimumHeight(40)
        self.language.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language.clicked.connect(self.language_toggled.emit)

        pad = QGridLayout()
        self._pad_clear = QPushButton()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
        for i, key in enumerate(keys):
            if key == "clear":
                button = self._pad_clear
                button.clicked.connect(self.pin.clear)
            elif key == "back":
                button = QPushButton("⌫")
                button.clicked.connect(self.pin.backspace)
            else:
                button = QPushButton(key)
                button.clicked.connect(lambda _=False, k=key: self.pin.insert(k))
            # Touch-sized, and never steals the keyboard focus from the PIN field.
            button.setMinimumSize(88, 64)
            button.setFont(_font(18))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            pad.addWidget(button, i // 3, i % 3)

        left = QVBoxLayout()
        left.addWidget(self.user_label)
        left.addWidget(self.users, 1)
        right = QVBoxLayout()
        right.addWidget(self.pin_label)
        right.addWidget(self.pin)
        right.addLayout(pad)
        right.addWidget(self.ok)
        right.addWidget(self.message)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addSpacing(24)
        body.addLayout(right, 1)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.language)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(120, 40, 120, 40)
        outer.addLayout(head)
        outer.addWidget(self.store)
        outer.addSpacing(16)
        outer.addLayout(body, 1)
        self.retranslate()

    # --- public -----------------------------------------------------------------------
    def attach(self, backend: TillBackend) -> None:
        self._backend = backend
        self.store.setText(backend.core.shop_info().store_name)
        self.reload_users()

    def reload_users(self) -> None:
        if self._backend is not None:
            self._tasks.run_in_background(self._backend.core.users, self._show_users,
                                          self._show_error, owner=self)

    def reset(self) -> None:
        self.pin.clear()
        self.message.clear()
        self.pin.setFocus()

    def select_user(self, name: str) -> None:
        for row in range(self.users.count()):
            item = self.users.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.users.setCurrentItem(item)
                return
        raise KeyError(name)

    def submit(self) -> None:
        if self._backend is None or self._busy:
            return
        item = self.users.currentItem()
        if item is None:
            self.message.setText(tr("login.pick_user"))
            return
        pin = self.pin.text()
        if not pin:
            self.message.setText(tr("login.pin_needed"))
            self.pin.setFocus()
            return
        name = str(item.data(Qt.ItemDataRole.UserRole))
        backend = self._backend
        self._set_busy(True)
        self.message.setStyleSheet("color: #444; font-size: 15px;")
        self.message.setText(tr("login.checking"))
        self._tasks.run_in_background(lambda: backend.core.login(name, pin), self._done,
                                      self._failed, lane=Lane.WRITER, owner=self)

    def retranslate(self) -> None:
        self.title.setText(tr("login.title"))
        self.user_label.setText(tr("login.user"))
        self.pin_label.setText(tr("login.pin"))
        self.ok.setText(tr("login.ok"))
        self._pad_clear.setText(tr("login.clear"))
        self.language.setText(tr("lang.switch"))
        for row in range(self.users.count()):
            item = self.users.item(row)
            choice = item.data(Qt.ItemDataRole.UserRole + 1)
            if isinstance(choice, UserChoice):
                item.setText(_user_text(choice))

    # --- outcomes ---------------------------------------------------------------------
    def _show_users(self, users: list[UserChoice]) -> None:
        current = self.users.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.users.blockSignals(True)  # a reload is not the person choosing someone
        self.users.clear()
        for choice in users:
            item = QListWidgetItem(_user_text(choice))
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            item.setData(Qt.ItemDataRole.UserRole + 1, choice)
            item.setSizeHint(QSize(0, 48))  # touch-sized rows
            self.users.addItem(item)
            if choice.name == keep:
                self.users.setCurrentItem(item)
        self.users.blockSignals(False)
        self.users_loaded.emit()

    def _user_chosen(self) -> None:
        self.message.clear()
        self.pin.clear()
        self.pin.setFocus()

    def _done(self, actor: Actor) -> None:
        self._set_busy(False)
        self.pin.clear()
        self.message.clear()
        self.logged_in.emit(actor)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.pin.clear()
        self._show_error(exc)
        self.pin.setFocus()
        # A lockout changes the list's "(locked)" marks.
        self.reload_users()

    def _show_error(self, exc: Exception) -> None:
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        self.message.setText(describe_error(exc))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)
        self.pin.setReadOnly(busy)


def _user_text(choice: UserChoice) -> str:
    text = f"{choice.name} — {tr('role.' + choice.role)}"
    return text + (tr("login.locked_suffix") if choice.locked else "")

