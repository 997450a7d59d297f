"""A supervisor's (or owner's) PIN, asked at the till: the one dialog for every approval.

Usage (voids, discounts over the limit, refunds, discarding a sync item...)::

    dialog = SupervisorPinDialog(tasks, backend, what="Remove Indomie from the cart",
                                 action=lambda approval: backend.cart.void_line(cart, 3, approval),
                                 parent=self)
    dialog.done_with.connect(on_removed)      # the action's result, on the main thread
    dialog.finished.connect(lambda _r: give_the_focus_back())
    dialog.open()

* ``what``: one line saying what is being approved (shown in the dialog).
* ``role``: the least role that may approve, ``"supervisor"`` (default) or ``"owner"``; the
  name list offers the users of that role or above who are not locked.
* ``action(approval)``: what to do with the typed name and PIN (a
  ``ui.backend_cart.Approval``). It runs on the DB-writer lane (a wrong PIN is a
  write: the failure count) and must itself check the PIN through a service, as
  ``refund_sale``, ``void_line`` and ``approve_discount`` do, so that checking and doing are
  one step. Without an action the dialog only checks the PIN
  (``backend.cart.verify_approval``) and its result is the approver
  (``services.users.Actor``).

On success the dialog emits ``approved(approval)`` and then ``done_with(result)``, and
closes (accepted). A refusal (wrong PIN, not a supervisor, locked user, or the action's own
refusal) is shown in the dialog, the PIN field is cleared, and the dialog stays open for
another try; Esc cancels (rejected). ``answered`` is emitted after every answer (tests wait
on it). The dialog never decides itself that a PIN is right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.users import RANK, UserChoice
from ui.backend import TillBackend
from services.selling import Approval
from ui.i18n import tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font, no_default_buttons as _no_default_buttons

class SupervisorPinDialog(QDialog):
    #: The PIN was accepted (value: the Approval typed).
    approved = Signal(object)
    #: The action's result (or the approver, a services.users.Actor, when there is no
    #: action).
    done_with = Signal(object)
    #: An answer came back, right or wrong (tests wait on it).
    answered = Signal()

    def __init__(self, tasks: TaskManager, backend: TillBackend, what: str, *,
                 role: str = "supervisor",
                 action: Callable[[Approval], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if role not in ("supervisor", "owner"):
            raise ValueError(f"approvals come from a supervisor or an owner, not {role!r}")
        self._tasks = tasks
        self._backend = backend
        self._what = what
        self._role = role
        self._action = action
        self._busy = False
        self.setObjectName("supervisorPin")
        self.setModal(True)
        role_word = tr("role." + role)
        self.setWindowTitle(tr("sup.title", role=role_word.capitalize()))

        what_label = QLabel(tr("sup.what", what=what))
        what_label.setObjectName("supWhat")
        what_label.setWordWrap(True)
        what_label.setFont(_font(15, bold=True))
        needs = QLabel(tr("sup.needs", role=role_word))
        needs.setFont(_font(13))
        self.user = QComboBox()
        self.user.setObjectName("supUser")
        self.user.setEditable(True)  # a name may also be typed
        self.user.setFont(_font(16))
        self.user.setMinimumHeight(48)
        self.pin = QLineEdit()
        self.pin.setObjectName("supPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"),
                                                          self.pin))
        self.pin.setFont(_font(22))
        self.pin.setMinimumHeight(52)
        self.pin.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("supMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")

        pad = QGridLayout()
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫"]):
            button = QPushButton(key)
            button.setMinimumSize(80, 56)
            button.setFont(_font(18))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN field keeps the keys
            if key == "C":
                button.clicked.connect(self.pin.clear)
            elif key == "⌫":
                button.clicked.connect(self.pin.backspace)
            else:
                button.clicked.connect(lambda _=False, k=key: self.pin.insert(k))
            pad.addWidget(button, i // 3, i % 3)

        self.ok = QPushButton(tr("sup.ok"))
        self.ok.setObjectName("supOk")
        self.ok.setMinimumHeight(56)
        self.ok.setFont(_font(15, bold=True))
        self.ok.clicked.connect(self.submit)
        # Otherwise Qt makes the first button ("Batal") the default: Enter in the PIN
        # field would submit and cancel at once.
        self.ok.setDefault(True)
        cancel = QPushButton(tr("sup.cancel"))
        cancel.setMinimumHeight(56)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(what_label)
        layout.addWidget(needs)
        layout.addWidget(QLabel(tr("sup.user")))
        layout.addWidget(self.user)
        layout.addWidget(QLabel(tr("sup.pin")))
        layout.addWidget(self.pin)
        layout.addLayout(pad)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok, 1)
        layout.addLayout(buttons)
        _no_default_buttons(self)
        self.resize(460, 600)
        self.pin.setFocus()
        self._tasks.run_in_background(self._backend.core.users, self._users_loaded,
                                      lambda exc: None, lane=Lane.POOL, owner=self)

    # --- API --------------------------------------------------------------------------
    @property
    def role(self) -> str:
        return self._role

    def select_user(self, name: str) -> None:
        index = self.user.findText(name)
        if index >= 0:
            self.user.setCurrentIndex(index)
        else:
            self.user.setEditText(name)

    def submit(self) -> None:
        if self._busy:
            return
        name, pin = self.user.currentText().strip(), self.pin.text()
        if not name:
            self.message.setText(tr("sup.pick_user", role=tr("role." + self._role)))
            return
        if not pin:
            self.message.setText(tr("sup.pin_needed"))
            return
        approval = Approval(name, pin)
        backend, role, what, action = self._backend, self._role, self._what, self._action
        if action is not None:
            def work() -> Any:
                return action(approval)
        else:
            def work() -> Any:
                return backend.cart.verify_approval(approval, role, what)
        self._set_busy(True)
        self.message.setStyleSheet("color: #12355b; font-size: 15px;")
        self.message.setText(tr("sup.checking"))
        self._tasks.run_in_background(work, lambda result: self._accepted(approval, result),
                                      self._refused, lane=Lane.WRITER, owner=self)

    # --- answers ----------------------------------------------------------------------
    def _users_loaded(self, users: list[UserChoice]) -> None:
        typed = self.user.currentText()
        self.user.clear()
        for u in users:
            if RANK.get(u.role, 0) >= RANK[self._role] and not u.locked:
                self.user.addItem(u.name)
        if typed:
            self.select_user(typed)
        self.pin.setFocus()

    def _accepted(self, approval: Approval, result: object) -> None:
        self._set_busy(False)
        self.message.clear()
        self.approved.emit(approval)
        self.done_with.emit(result)
        self.answered.emit()
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._set_busy(False)
        self.message.setStyleSheet("color: #b00020; font-size: 15px;")
        self.message.setText(describe_error(exc))
        self.pin.clear()
        self.pin.setFocus()
        self.answered.emit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)




__all__ = ["SupervisorPinDialog"]
