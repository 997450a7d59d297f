"""Generated bad input for the CLI (issue 10, "Proof"): hypothesis builds sale JSON (any JSON
value anywhere, wrong types, extreme numbers, odd Unicode, deep nesting, huge strings), CSV
import files, and the money and quantity arguments of every command that takes one.

The property, for every input: no traceback; either the command succeeds (exit 0: a
generated input may be valid) or it refuses with exit 2 or 3 and a message naming the field
(``error: FIELD: message``, or argparse's own ``usage: ... error: argument ...``), nothing
on stdout, and the business tables (tests/cli/inputs_helpers.BUSINESS_TABLES) byte-for-byte
as they were.

The CLI runs in this process (app.cli.main.main with patched stdin/stdout) for speed; one
test feeds generated lines to a real ``warungin sale --stream`` process.

CI runs :data:`EXAMPLES` examples per test (a few hundred in all, well under a minute).
``WARUNGIN_FUZZ_EXAMPLES=N`` runs N per test: the long campaign, e.g.
``WARUNGIN_FUZZ_EXAMPLES=2000 pytest tests/cli/test_fuzz_inputs.py`` (about 12,000 inputs).
In a campaign a traceback does not stop the run: every one is written to
``WARUNGIN_FUZZ_LOG`` (default ``fuzz-tracebacks.jsonl``) and the test fails at the end.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.inputs_helpers import Outcome, business_digest, run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("WARUNGIN_FUZZ_EXAMPLES", "0") or 0)
CAMPAIGN = EXAMPLES > 0
EXAMPLES = EXAMPLES or 40
SUP = ["--user", "Budi"]  # the PIN (5678) comes from WARUNGIN_PIN: see run_cli
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


# --- the shop and the bookkeeping of a run --------------------------------------------------

@dataclass
class Arena:
    """One demo shop per test, reused by every example (refusals change nothing; an
    accepted input moves the expected fingerprint on)."""

    folder: Path
    receipt: str
    digest: str = ""
    runs: int = 0
    accepted: int = 0
    crashes: list[dict[str, Any]] = field(default_factory=list)
    fields: Counter[str] = field(default_factory=Counter)  # what refused, for the campaign

    def argv(self, *args: str) -> list[str]:
        return ["--data-dir", str(self.folder), *args]

    def check(self, argv: list[str], stdin: str = "", *, what: str,
              pin: str = "5678") -> Outcome:
        outcome = run_cli(self.argv(*argv), stdin, pin=pin)
        self.runs += 1
        problem = judge(outcome)
        after = business_digest(self.folder)
        if problem is None and outcome.code != 0 and after != self.digest:
            problem = "a refusal changed the business tables"
        if outcome.code == 0:
            self.accepted += 1
        else:
            head = outcome.err.split("\n", 1)[0]
            named = head.split("error: ", 1)[-1].split(":", 1)[0] if "usage:" not in \
                outcome.err else "argparse"
            self.fields[re.sub(r"\[\d+\]", "[]", named)[:40]] += 1
        self.digest = after
        if problem is not None:
            self.crashes.append({"what": what, "problem": problem, "argv": argv[:12],
                                 "stdin": stdin[:2000], "code": outcome.code,
                                 "err": outcome.err[-4000:], "crash": outcome.crash})
            if not CAMPAIGN:
                raise AssertionError(f"{what}: {problem}\nargv={argv[:12]!r}\n"
                                     f"stdin={stdin[:500]!r}\n{outcome.crash or outcome.err}")
        return outcome


def judge(o: Outcome) -> str | None:
    """Why this outcome breaks the property, or None."""
    if o.crash is not None:
        return "traceback (an exception escaped main)"
    if "Traceback" in o.err:
        return "traceback on stderr"
    if o.code == 0:
        return None
    if o.code not in (2, 3):
        return f"exit {o.code}"
    if o.out:
        return "a refusal printed on stdout"
    if o.err.startswith("usage: "):
        return None if "error: " in o.err else "argparse refusal without a message"
    head = o.err.split("\n", 1)[0]
    if not head.startswith("error: ") or ": " not in head[len("error: "):]:
        return f"no field named: {head[:200]!r}"
    return None


def _fresh(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    conn = sqlite3.connect(target / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return target


@pytest.fixture
def arena(demo_template: Path, tmp_path: Path) -> Iterator[Arena]:
    folder = _fresh(demo_template, tmp_path / "arena")
    sold = run_cli(["--data-dir", str(folder), "sale"], json.dumps(
        {"lines": [{"sku": "MI-0001", "qty": 3}, {"sku": "TMB-0176", "qty": "0.5"}],
         "payments": [{"method": "cash", "tendered": 100000}]}))
    assert sold.code == 0, sold.err
    a = Arena(folder, json.loads(sold.out)["receipt_no"])
    a.digest = business_digest(folder)
    yield a
    log = Path(os.environ.get("WARUNGIN_FUZZ_LOG", "fuzz-tracebacks.jsonl"))
    if CAMPAIGN:
        with log.open("a", encoding="utf-8") as f:
            for c in a.crashes:
                f.write(json.dumps(c, ensure_ascii=True) + "\n")
        print(f"\n{a.runs} inputs, {a.accepted} accepted, {len(a.crashes)} broke the property;"
              f" refused by field: {dict(a.fields.most_common(25))}")
    assert not a.crashes, f"{len(a.crashes)} inputs broke the property (see {log})"


# --- strategies --------------------------------------------------------------------------

#: Text of every kind: any code point (lone surrogates, NUL, controls, RTL marks...).
odd_text = st.one_of(
    st.text(max_size=30),
    st.text(st.one_of(st.characters(), st.characters(min_codepoint=0xD800,
                                                     max_codepoint=0xDFFF),
                      st.characters(max_codepoint=0x1F)), max_size=30))
EXTREME_NUMBER_TEXT = ["1e999999999", "-1e999999999", "1e-999999999", "1E+999999999",
                       "NaN", "-Infinity", "Infinity", "sNaN", "0E+5", "-0", "+-5", "--5",
                       "1_000", "١٢", "１２", "²", "0x10", "1,5", "15.000", "Rp 15.000",
                       "15.000,50", " 7 ", "", " ", "9" * 5000, "1" + "0" * 4400,
                       "0." + "0" * 60 + "1", "10000.001", "10000", "0.0005", "1e-3",
                       "99999999999", "-99999999999", "10000000000", "\x00", "\ud800",
                       "\udcff", "1\u00a0000", "5\u200b"]
extreme_number_text = st.sampled_from(EXTREME_NUMBER_TEXT)
number_text = st.one_of(
    extreme_number_text,
    st.integers().map(str),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.from_regex(r"[+-]{0,2}[0-9]{0,6}([.,][0-9]{0,6})?([eE][+-]?[0-9]{1,10})?",
                  fullmatch=True),
    odd_text,
)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10**60, max_value=10**60),
    st.floats(), extreme_number_text, number_text, odd_text,
    st.sampled_from(["MI-0001", "TMB-0176", "8991548927138", "cash", "kasbon", "qris",
                     "edc", "no-such-customer"]))
json_value = st.recursive(json_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(odd_text, st.sampled_from(
        ["sku", "qty", "price", "discount", "percent", "amount", "method", "tendered",
         "barcode", "user", "pin", "customer_id", "note"])), inner, max_size=4)),
    max_leaves=12)


def deep(n: int) -> Any:
    value: Any = 1
    for _ in range(n):
        value = [value]
    return value


BASE_SALE: dict[str, Any] = {
    "lines": [{"sku": "MI-0001", "qty": 2}, {"barcode": "8991548927138", "qty": 1},
              {"sku": "TMB-0176", "qty": "0.75", "discount": {"percent": 5}}],
    "discount": {"amount": 100},
    "payments": [{"method": "cash", "tendered": 100000}]}
# Every place of the sale where a value can be replaced (path from the top).
SALE_PATHS: list[tuple[Any, ...]] = [
    (), ("lines",), ("lines", 0), ("lines", 0, "sku"), ("lines", 0, "qty"),
    ("lines", 1, "barcode"), ("lines", 1, "qty"), ("lines", 2, "qty"), ("lines", 2, "price"),
    ("lines", 2, "discount"), ("lines", 2, "discount", "percent"), ("discount",),
    ("discount", "amount"), ("payments",), ("payments", 0), ("payments", 0, "method"),
    ("payments", 0, "tendered"), ("payments", 0, "amount"), ("payments", 0, "provider_ref"),
    ("payments", 0, "customer_id"), ("customer_id",), ("customer",), ("approval",),
    ("approval", "user"), ("lines", 0, "colour"), ("extra",)]


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, list) and isinstance(head, int) and head < len(data):
        data = list(data)
        data[head] = _replace(data[head], rest, value)
        return data
    if isinstance(data, dict):
        data = dict(data)
        data[head] = _replace(data.get(head, {}), rest, value)
        return data
    return data


@st.composite
def sale_text(draw: st.DrawFn) -> str:
    """A sale with one to three places replaced by generated values, as JSON text; now and
    then made hostile at the text level (deep, huge, undecodable, cut short)."""
    sale: Any = BASE_SALE
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SALE_PATHS))
        value = draw(st.one_of(
            json_value, extreme_number_text,
            st.integers(min_value=1, max_value=3000).map(deep),
            st.integers(min_value=100_000, max_value=300_000).map(lambda n: "x" * n)))
        sale = _replace(sale, path, value)
    try:
        text = json.dumps(sale, ensure_ascii=draw(st.booleans()), allow_nan=True)
    except (RecursionError, ValueError):
        text = "[" * 5000
    kind = draw(st.sampled_from(["json"] * 12 + ["bigint", "undecodable", "cut", "nest",
                                                 "garbage", "same_sku"]))
    if kind == "bigint":
        text = text.replace('"qty": 2', '"qty": ' + "9" * draw(st.integers(4000, 6000)), 1)
    elif kind == "undecodable":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\udcff", "\udc80\udc80", "\ud800"])) \
            + text[at:]
    elif kind == "cut":
        text = text[:draw(st.integers(0, len(text)))]
    elif kind == "nest":
        text = draw(st.sampled_from(["[", "{\"a\":"])) * draw(st.integers(900, 110_000))
    elif kind == "garbage":
        text = draw(odd_text)
    elif kind == "same_sku":
        qty = draw(st.integers(1, 10_000))
        text = json.dumps({"lines": [{"sku": "MI-0001", "qty": qty}] * draw(st.integers(2, 4)),
                           "payments": [{"method": "cash", "tendered": 10_000_000_000}]})
    return text


# --- the properties ----------------------------------------------------------------------

@FUZZ
@given(text=sale_text())
def test_sale_json(arena: Arena, text: str) -> None:
    arena.check(["sale"], text, what="sale")


CSV_COLUMNS = ["sku", "name", "category", "unit", "price", "cost", "tax_class", "barcodes",
               "tracks_stock", "low_stock", "active"]
csv_cell = st.one_of(
    st.sampled_from(["MI-0001", "EVIL-1", "A-1", "Teh", "kg", "pcs", "PPN", "BEBAS", "1", "0",
                     "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", "'=x", "8991548927138",
                     "MI-0001|TMB-0176", "\x00", "a\x00b", '"', '"unclosed', 'a"b', "\r",
                     "\n", "x" * 140_000, "k" * 10_000]),
    number_text, odd_text)


@st.composite
def csv_text(draw: st.DrawFn) -> str:
    optional = [c for c in CSV_COLUMNS if c not in ("sku", "name", "price")]
    header = ["sku", "name", "price", *draw(st.lists(st.sampled_from(optional), unique=True))]
    header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:  # now and then a broken header
        header = draw(st.lists(st.sampled_from([*CSV_COLUMNS, "bogus", "SKU ", "", '"sku']),
                               min_size=1, max_size=12))
    good = {"sku": st.from_regex(r"[A-Z]{2,4}-[0-9]{1,4}", fullmatch=True),
            "name": st.sampled_from(["Teh", "Kopi Tubruk", "Gula Aren 1 kg"]),
            "price": st.integers(0, 100_000).map(str), "cost": st.integers(0, 1000).map(str),
            "unit": st.sampled_from(["pcs", "kg", "liter"]),
            "tax_class": st.sampled_from(["PPN", "BEBAS"]),
            "tracks_stock": st.sampled_from(["1", "0", ""]),
            "active": st.sampled_from(["1", "0", ""]), "low_stock": st.sampled_from(["0", "3"]),
            "category": st.sampled_from(["Minuman", ""]), "barcodes": st.just("")}

    def row() -> list[str]:
        """A good row with a few cells made hostile, or a row of anything."""
        if draw(st.integers(0, 4)) == 0:
            return draw(st.lists(csv_cell, max_size=len(header) + 2))
        cells = [draw(good.get(h, csv_cell)) for h in header]
        for _ in range(draw(st.integers(0, 2))):
            if cells:
                cells[draw(st.integers(0, len(cells) - 1))] = draw(csv_cell)
        return cells + draw(st.lists(csv_cell, max_size=1 if draw(st.booleans()) else 0))
    rows = [row() for _ in range(draw(st.integers(0, 5)))]
    sep = draw(st.sampled_from([","] * 8 + [";", "\t"]))

    def cell(c: str) -> str:
        if draw(st.booleans()) and c and c[0] != '"':
            return '"' + c.replace('"', '""') + '"'
        return c
    lines = [sep.join(header)] + [sep.join(cell(c) for c in row) for row in rows]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(
        st.sampled_from(["", "\n"]))


@FUZZ
@given(text=csv_text())
def test_products_import_csv(arena: Arena, text: str) -> None:
    arena.check(["products", "import", "-", *SUP], text, what="products import")


def _arg(value: str) -> list[str]:
    """A positional argument; one that starts with '-' goes after '--', as a user must."""
    return ["--", value] if value.startswith("-") else [value]


@FUZZ
@given(kind=st.sampled_from(["adjust", "waste", "count", "refund", "receive_qty",
                             "receive_cost"]),
       value=number_text)
def test_quantity_arguments(arena: Arena, kind: str, value: str) -> None:
    if kind in ("adjust", "waste"):
        extra = ["--waste"] if kind == "waste" else []
        arena.check(["stock", "adjust", "--reason", "fuzz", *extra, *SUP, "MI-0001",
                     *_arg(value)], what=f"stock {kind}")
    elif kind == "count":
        arena.check(["stock", "count", *SUP, "MI-0001", *_arg(value)], what="stock count")
    elif kind == "refund":
        arena.check(["refund", arena.receipt, *SUP, "--line", f"1:{value}"], what="refund")
    else:
        line: dict[str, Any] = {"sku": "MI-0001", "qty": 1, "cost": 1000}
        line["qty" if kind == "receive_qty" else "cost"] = value
        arena.check(["stock", "receive", *SUP], json.dumps(
            {"supplier": "PT Fuzz", "lines": [line]}), what=f"stock {kind}")


@FUZZ
@given(kind=st.sampled_from(["float", "cash_in", "cash_out", "kasbon", "credit_limit",
                             "close_value", "close_key", "close_json"]),
       value=number_text, doc=json_value)
def test_money_arguments(arena: Arena, kind: str, value: str, doc: Any) -> None:
    if kind == "float":
        arena.check(["shift", "open", "--user", "Sari", f"--float={value}"],
                    what="shift open", pin="1234")
    elif kind in ("cash_in", "cash_out"):
        arena.check(["shift", "cash", "--reason", "fuzz", *SUP, "--", kind[5:], value],
                    what=f"shift cash {kind[5:]}")
    elif kind == "kasbon":
        arena.check(["kasbon", "pay", *SUP, "no-such-customer", *_arg(value)],
                    what="kasbon pay")
    elif kind == "credit_limit":
        arena.check(["customers", "add", "--name", "Fuzz", "--phone", "0812-0000-0099",
                     f"--credit-limit={value}", *SUP], what="customers add")
    else:
        counted: Any = {"100000": value} if kind == "close_value" else \
            {value: 1} if kind == "close_key" else doc
        o = arena.check(["shift", "close", *SUP, "--counted",
                         json.dumps(counted, allow_nan=True)], what="shift close")
        if o.code == 0:  # a valid count closed the shift: open the next one
            arena.check(["shift", "open", "--user", "Sari", "--float", "0"],
                        what="shift open", pin="1234")


TEXT_COMMANDS = [(["stock", "adjust", "--reason", "r", *SUP], 2), (["stock", "count", *SUP], 2),
                 (["products", "search"], 1), (["products", "lookup"], 1), (["receipt"], 1),
                 (["refund", *SUP], 1), (["kasbon", "balance"], 1),
                 (["stock", "adjust", "--reason", "r", *SUP, "MI-0001"], 1)]


@FUZZ
@given(command=st.sampled_from(TEXT_COMMANDS), data=st.data())
def test_text_arguments(arena: Arena, command: tuple[list[str], int], data: st.DataObject
                        ) -> None:
    """Any text as a positional argument (lone surrogates as undecodable argv bytes arrive,
    NUL, controls, other scripts, long text), and as a reason."""
    words, n = command
    args = [data.draw(st.one_of(odd_text, st.sampled_from(["MI-0001", "1", "-1", "0"]),
                                st.text(min_size=150, max_size=300)))
            for _ in range(n)]
    if words[:2] == ["stock", "adjust"] and data.draw(st.booleans()):
        words = [*words[:3], data.draw(odd_text), *words[4:]]
    arena.check([*words, "--", *args], what=" ".join(words[:2]))


# --- a real process ----------------------------------------------------------------------

@settings(max_examples=1, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(sale_text(), min_size=20, max_size=20 if not CAMPAIGN else 200))
def test_stream_in_a_real_process(demo_template: Path, tmp_path_factory: pytest.TempPathFactory,
                                  lines: list[str]) -> None:
    """Generated lines through a real ``warungin sale --stream``: one JSON line out per
    line in (no line is a newline inside, so each generated sale is one line), no
    traceback, the exit status the worst refusal."""
    folder = _fresh(demo_template, tmp_path_factory.mktemp("stream") / "shop")
    lines = [x.replace("\n", " ") for x in lines]
    lines = [x for x in lines if x.strip()]
    payload = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    proc = subprocess.run([sys.executable, "-m", "app.cli.main", "sale", "--stream",
                           "--data-dir", str(folder)], input=payload, capture_output=True,
                          cwd=ROOT, timeout=600, check=False)
    assert b"Traceback" not in proc.stderr, proc.stderr[-4000:]
    out = [json.loads(x) for x in proc.stdout.decode().split("\n")[:-1]]
    assert len(out) == len(lines)
    assert [o["line"] for o in out if "error" in o] == [
        i for i, o in enumerate(out, start=1) if "error" in o]
    assert all(o["error"] != "internal" for o in out)
    codes = {2 if o["error"] == "bad_input" else 3 for o in out if "error" in o}
    assert proc.returncode == (min(codes) if codes else 0), proc.stderr[-2000:]
