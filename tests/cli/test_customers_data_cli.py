"""``warungin customers export|consent|erase`` in-process: JSON out, files readable by their
owner only, refusals on stderr with their exit status."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.shop import Shop
from services.users import Actor
from tests.cli.test_customers_cli import run
from tests.helpers import scalar
from tests.services.test_personal_data import EMAIL, NAME, PHONE, with_history


def test_export_json_and_pdf(shop: Shop, cashier: Actor, supervisor: Actor, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    h = with_history(shop, cashier, supervisor)
    code, _, err = run(capsys, shop, "customers", "export", h.customer_id, "--user", "Sari")
    assert code == 3 and "supervisor" in err  # a cashier may not take a copy home
    code, out, _ = run(capsys, shop, "customers", "export", h.customer_id, "--user", "Budi")
    assert code == 0 and out["customer"]["email"] == EMAIL
    target = tmp_path / "data.json"
    code, out, _ = run(capsys, shop, "customers", "export", PHONE, "--format", "json",
                       "--out", str(target), "--user", "Budi")
    assert code == 0 and out["customer_id"] == h.customer_id and out["sales"] == 2
    assert json.loads(target.read_text("utf-8"))["customer"]["name"] == NAME
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    pdf = tmp_path / "data.pdf"
    code, out, _ = run(capsys, shop, "customers", "export", h.customer_id, "--format", "pdf",
                       "--out", str(pdf), "--lang", "en", "--user", "Wati")
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert "Customer's personal data" in PdfReader(pdf).pages[0].extract_text()
    code, _, err = run(capsys, shop, "customers", "export", h.customer_id, "--format", "pdf",
                       "--user", "Budi")
    assert code == 2 and "--out" in err
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.export'") == 3


def test_consent_then_erase(shop: Shop, cashier: Actor, supervisor: Actor,
                            capsys: pytest.CaptureFixture[str]) -> None:
    h = with_history(shop, cashier, supervisor)
    code, out, _ = run(capsys, shop, "customers", "consent", h.customer_id, "--withdraw",
                       "--source", "till", "--user", "Sari")
    assert code == 0 and out["changed"] and out["change"]["source"] == "till"
    code, out, _ = run(capsys, shop, "customers", "consent", h.customer_id, "--withdraw",
                       "--user", "Sari")
    assert code == 0 and not out["changed"]
    code, _, err = run(capsys, shop, "customers", "consent", h.customer_id, "--grant",
                       "--source", "stop", "--user", "Sari")
    assert code == 2  # argparse: stop is the customer's own channel, not a user's
    code, out, _ = run(capsys, shop, "customers", "erase", h.customer_id, "--even-with-kasbon",
                       "--user", "Wati")
    assert code == 0 and out["customer_id"] == h.customer_id
    assert scalar(shop, "SELECT COUNT(*) FROM customer_tombstone") == 1
    code, out, _ = run(capsys, shop, "customers", "export", h.customer_id, "--user", "Wati")
    assert code == 0 and out["customer"]["name"] == "Dihapus"
    assert all(m["address"] is None for m in out["messages"])
