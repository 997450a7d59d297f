"""The README's command-line examples, run as written, so the README cannot rot.

Every ```sh block of the README's CLI section ("Using the till from the command line") is
split into whole shell commands (a quoted JSON over two lines and a heredoc are one
command) and each runs, in order, through ``bash -c`` in a temporary folder, on the fresh
demo shop the block's own ``warungin demo`` makes. What the test changes, and only this:

* ``/tmp/toko`` becomes a folder of the test's own, and ``.venv`` in the temporary folder
  is this interpreter's virtualenv, so ``. .venv/bin/activate`` works as written;
* the variables a block exports or sources (``export WARUNGIN_PIN=...``, the activation)
  carry over to the commands after them, as in one terminal;
* ``CUSTOMER_ID`` is a placeholder the README says to take from ``warungin kasbon list``:
  the test takes the first customer there who owes enough.

Each command must exit 0, except where :data:`EXPECTED` says otherwise and why; no command
may print a traceback. The central block ("Central PostgreSQL") runs against the real
PostgreSQL of ``tests/central`` up to the enrolment; :data:`SKIPPED` lists, with the reason,
every README command that does not run here.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
CLI_SECTION = "## Using the till from the command line"
CENTRAL_SECTION = "## Central PostgreSQL (tenants, terminals, enrolment)"
PAYMENTS_SECTION = "## Payments: QRIS, GoPay, ShopeePay, bank-transfer VA (Midtrans)"


@dataclass(frozen=True)
class Expected:
    exit: int
    stderr: str  # a regular expression the standard error must match
    why: str


#: Commands (by a piece of their text) that must NOT exit 0, and why.
EXPECTED = {
    "warungin receipt DEMO-T01-000001 --print": Expected(
        1, r"not printed: no receipt printer is set up",
        "the demo shop has no printer: the PDF is written, the print is reported as not "
        "done (exit 1), as the README's comment says"),
    'report products --central --dsn "host=...': Expected(
        2, r"error: dsn: host '\.\.\.' is not a host name",
        "host=... is the README's placeholder for the central server: the command must say "
        "so plainly (exit 2), not crash"),
}

#: README commands that are not run here, each with its reason.
SKIPPED = {
    "warungin demo --simulators --auto-pay 3 --data-dir /tmp/toko": (
        "Payments block: a server left running ('leave running'); the QRIS sale against the "
        "simulator is tests/e2e/test_cli_payments.py"),
    "| warungin sale --data-dir /tmp/toko": (
        "Payments block: needs the simulator above running (tests/e2e/test_cli_payments.py)"),
    "echo CODE | warungin enroll - --data-dir /path/to/till": (
        "Central block: enrolment stores the terminal's password in the OS keyring, which a "
        "test must not touch; tests/central/test_enroll.py enrols with an in-memory keyring"),
}

#: A whole README command takes at most this long here (the 90-day demo takes ~15 s on an
#: idle 2-core machine; a loaded one can be several times slower).
TIMEOUT_S = 180


def section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start:end if end >= 0 else len(text)]


def code_blocks(part: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash)\n(.*?)^```$", part, flags=re.S | re.M)


def commands(block: str) -> list[str]:
    """The block's whole shell commands: lines are joined until bash can parse them
    (an open quote, a heredoc or a trailing backslash goes on to the next line)."""
    out: list[str] = []
    pending: list[str] = []
    for line in block.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue  # a blank line, or a comment going on from the line above
        pending.append(line)
        chunk = "\n".join(pending)
        if chunk.rstrip().endswith("\\"):
            continue
        check = subprocess.run(["bash", "-n", "-c", chunk], capture_output=True, text=True)
        if check.returncode == 0 and not check.stderr:  # an open heredoc only warns
            out.append(chunk)
            pending = []
    assert not pending, f"README: an unfinished command: {pending}"
    return out


def is_state(cmd: str) -> bool:
    """A command whose effect is on the shell itself (export, activation)."""
    first = cmd.split(maxsplit=1)[0]
    return first in ("export", ".", "source")


@dataclass
class Run:
    cmd: str
    exit: int
    out: str
    err: str
    seconds: float


class Terminal:
    """One terminal's worth of commands: each runs through ``bash -c`` in ``cwd``, after
    the exports and activation that came before it."""

    def __init__(self, cwd: Path, env: dict[str, str], subst: dict[str, str]) -> None:
        self.cwd, self.env, self.subst = cwd, env, subst
        self.state: list[str] = []
        self.ran: list[Run] = []

    def run(self, cmd: str) -> Run:
        text = cmd
        for placeholder, value in self.subst.items():
            text = text.replace(placeholder, value)
        script = "\n".join([*self.state, text])
        t0 = time.monotonic()
        p = subprocess.run(["bash", "-c", script], cwd=self.cwd, env=self.env,
                           capture_output=True, text=True, timeout=TIMEOUT_S)
        r = Run(cmd, p.returncode, p.stdout, p.stderr, time.monotonic() - t0)
        self.ran.append(r)
        if is_state(cmd) and p.returncode == 0:
            self.state.append(text)
        return r

    def check(self, r: Run) -> None:
        assert "Traceback" not in r.err, f"{r.cmd}\n{r.err}"
        want = next((e for key, e in EXPECTED.items() if key in r.cmd), None)
        if want is None:
            assert r.exit == 0, f"README command failed (exit {r.exit}):\n{r.cmd}\n{r.err}"
            return
        assert r.exit == want.exit, f"{r.cmd}: exit {r.exit}, README expects {want.exit} " \
                                    f"({want.why})\n{r.err}"
        assert re.search(want.stderr, r.err), f"{r.cmd}\n{r.err}"


def skipped(cmd: str) -> bool:
    return any(key in cmd for key in SKIPPED)


def clean_env(tmp: Path) -> dict[str, str]:
    """The caller's environment without any WARUNGIN_* setting, with a home of its own
    (nothing of the developer's shop or keyring is read or written)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("WARUNGIN_") and k not in ("VIRTUAL_ENV", "DISPLAY",
                                                           "WAYLAND_DISPLAY")}
    env.update(HOME=str(tmp / "home"), XDG_DATA_HOME=str(tmp / "home" / ".local" / "share"),
               XDG_CONFIG_HOME=str(tmp / "home" / ".config"), LC_ALL="C.UTF-8")
    (tmp / "home").mkdir()
    return env


def venv_here(tmp: Path) -> None:
    """``.venv`` in the README's working folder: this test's own virtualenv."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").exists() or not (venv / "bin" / "warungin").exists():
        pytest.fail(f"{venv} is not a virtualenv with warungin installed: run the tests "
                    "with .venv/bin/pytest (bash tests/run.sh)")
    (tmp / ".venv").symlink_to(venv)


def owing(kasbon_list: str, amount: int) -> str:
    rows = json.loads(kasbon_list)
    return str(next(r["customer_id"] for r in rows if r["balance"] >= amount))


def test_every_cli_example_of_the_readme_runs_as_written(tmp_path: Path) -> None:
    text = README.read_text("utf-8")
    blocks = code_blocks(section(text, CLI_SECTION))
    cmds = [c for b in blocks for c in commands(b)]
    assert len(cmds) >= 30 and any(c.startswith("warungin demo") for c in cmds)
    venv_here(tmp_path)
    shop = tmp_path / "toko"
    term = Terminal(tmp_path, clean_env(tmp_path), {"/tmp/toko": str(shop)})
    for cmd in cmds:
        assert not skipped(cmd), f"{cmd}: the CLI section's commands all run"
        if "CUSTOMER_ID" in cmd:
            listed = next(r for r in reversed(term.ran) if "kasbon list" in r.cmd)
            term.subst["CUSTOMER_ID"] = owing(listed.out, 50_000)
        term.check(term.run(cmd))
    # What the examples did, seen in the shop.
    by = {r.cmd.split("#")[0].strip(): r for r in term.ran}
    demo = json.loads(by["warungin demo --data-dir /tmp/toko"].out)
    assert demo["history"]["days"] == 90
    edc = next(json.loads(r.out) for r in term.ran if '"method":"edc"}]}' in r.cmd)
    assert edc["payments"][0]["amount"] == edc["total"]  # the amount due
    assert json.loads(by["warungin products export katalog.csv"].out)["products"] >= 180
    imported = json.loads(by["warungin products import katalog.csv --user Budi"].out)
    assert (imported["created"], imported["updated"]) == (0, 0)  # nothing edited: no change
    assert json.loads(by["warungin verify"].out)["ok"] is True
    assert (tmp_path / "nov.pdf").exists() and (tmp_path / "struk.pdf").exists()
    total = sum(r.seconds for r in term.ran)
    print(f"README CLI section: {len(term.ran)} commands in {total:.1f} s")


def test_the_central_examples_run_against_a_real_postgresql(tmp_path: Path) -> None:
    from tests.central.conftest import fresh_central

    text = README.read_text("utf-8")
    cmds = [c for b in code_blocks(section(text, CENTRAL_SECTION)) for c in commands(b)]
    assert any("central init" in c for c in cmds)
    env = clean_env(tmp_path)
    venv_here(tmp_path)
    env["PATH"] = f"{Path(sys.prefix) / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    with fresh_central() as db:
        term = Terminal(tmp_path, env, {
            "postgresql://postgres@127.0.0.1:5432/warungin": shlex.quote(db.admin_dsn)})
        ran = 0
        for cmd in cmds:
            if skipped(cmd):
                continue
            r = term.run(cmd)
            term.check(r)
            ran += 1
            if "add-tenant" in cmd:
                term.subst["TENANT"] = json.loads(r.out)["tenant_id"]
            elif "add-store" in cmd:
                term.subst["STORE"] = json.loads(r.out)["store_id"]
            elif "add-terminal" in cmd:
                assert json.loads(r.out)["enrolment_code"]
        assert ran == len(cmds) - 1  # all but the enrolment (SKIPPED)


def test_the_skipped_commands_are_still_in_the_readme() -> None:
    """A skip names a README command: when the README changes, the list changes too."""
    text = README.read_text("utf-8")
    cmds = [c for heading in (CLI_SECTION, CENTRAL_SECTION, PAYMENTS_SECTION)
            for b in code_blocks(section(text, heading)) for c in commands(b)]
    for key in SKIPPED:
        assert any(key in c for c in cmds), f"SKIPPED names no README command: {key}"
    for key in EXPECTED:
        assert any(key in c for c in cmds), f"EXPECTED names no README command: {key}"
