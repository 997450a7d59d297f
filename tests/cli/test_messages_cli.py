"""``warungin messages send|list|status`` in-process: JSON out, bad input exits 2 naming
the field, a double send is one message."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.cli.main import main
from app.shop import Shop
from services.users import Actor
from tests.services.test_messaging_helpers import PHONE, count, customer, sale

PINS = {"Sari": "1234", "Budi": "5678", "Wati": "9999"}


def run(capsys: pytest.CaptureFixture[str], shop: Shop, *argv: str) -> tuple[int, Any, str]:
    capsys.readouterr()
    user = argv[argv.index("--user") + 1] if "--user" in argv else None
    with pytest.MonkeyPatch.context() as env:
        if user in PINS:
            env.setenv("WARUNGIN_PIN", PINS[str(user)])
        else:
            env.delenv("WARUNGIN_PIN", raising=False)
        code = main([*argv, "--data-dir", str(shop.folder)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_send_a_receipt_list_and_status(shop: Shop, cashier: Actor, supervisor: Actor,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _, receipt_no = sale(shop, cashier, customer(shop, supervisor))
    code, sent, _ = run(capsys, shop, "messages", "send", "--receipt", receipt_no,
                        "--channel", "whatsapp")
    assert code == 0 and sent["status"] == "queued" and sent["job_state"] == "pending"
    assert sent["recipient_hint"] == "+62812****890" and sent["already"] is False
    code, again, _ = run(capsys, shop, "messages", "send", "--receipt", receipt_no,
                         "--channel", "whatsapp")
    assert code == 0 and again["id"] == sent["id"] and again["already"] is True
    code, mailed, _ = run(capsys, shop, "messages", "send", "--receipt", receipt_no,
                          "--channel", "email", "--to", "lain@contoh.id", "--locale", "en")
    assert code == 0 and mailed["subject"].startswith(f"Receipt {receipt_no}")
    code, listed, _ = run(capsys, shop, "messages", "list")
    assert code == 0 and [m["id"] for m in listed] == [mailed["id"], sent["id"]]
    code, listed, _ = run(capsys, shop, "messages", "list", "--channel", "email")
    assert [m["id"] for m in listed] == [mailed["id"]]
    code, status, _ = run(capsys, shop, "messages", "status", sent["id"])
    assert code == 0 and status["id"] == sent["id"] and status["job_attempts"] == 0
    # No address in clear text in what the CLI prints.
    assert "3456" not in json.dumps(listed)


@pytest.mark.parametrize(("argv", "field"), [
    (("--receipt", "NOPE-1-000001", "--channel", "whatsapp", "--to", PHONE), "receipt_no"),
    (("--receipt", "{receipt}", "--channel", "whatsapp", "--to", "021-555-1234"), "to"),
    (("--receipt", "{receipt}", "--channel", "email", "--to", "not-an-address"), "to"),
    (("--receipt", "{receipt}", "--channel", "sms", "--to", PHONE), "channel"),
    (("--receipt", "{receipt}", "--channel", "whatsapp"), "to"),  # no customer on the sale
    (("--channel", "whatsapp", "--to", PHONE), "receipt"),
    (("--template", "low_stock", "--channel", "sms", "--to", PHONE, "--var", "store_name=W",
      "--user", "Budi"), "variables"),
    (("--template", "low_stock", "--channel", "sms", "--to", PHONE, "--var", "oops",
      "--user", "Budi"), "var"),
])
def test_bad_input_exits_2_naming_the_field(shop: Shop, cashier: Actor,
                                            capsys: pytest.CaptureFixture[str],
                                            argv: tuple[str, ...], field: str) -> None:
    _, receipt_no = sale(shop, cashier)
    args = [a.replace("{receipt}", receipt_no) for a in argv]
    code, out, err = run(capsys, shop, "messages", "send", *args)
    # An unknown receipt is not found (3, like every command); the rest is bad input (2).
    assert code == (3 if field == "receipt_no" else 2) and out is None and f"{field}:" in err
    assert count(shop, "message") == 0


def test_send_a_template_needs_a_supervisor_and_runs_once(
        shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("messages", "send", "--template", "low_stock", "--channel", "sms", "--to", PHONE,
            "--var", "store_name=Warung", "--var", "count=2", "--var", "items=Gula, Beras")
    code, _, err = run(capsys, shop, *argv, "--user", "Sari")
    assert code == 3 and "supervisor" in err
    code, result, _ = run(capsys, shop, *argv, "--user", "Budi")
    assert code == 0 and result["queued"] == 1 and result["bulk_id"].startswith("cli-")
    code, rerun, _ = run(capsys, shop, *argv, "--user", "Budi")
    assert code == 0 and (rerun["queued"], rerun["already"]) == (0, 1)
    assert count(shop, "message") == 1


# --- warungin providers sendgrid|twilio|fcm ------------------------------------------------

def provide(capsys: pytest.CaptureFixture[str], shop: Shop, stdin: str,
            *argv: str) -> tuple[int, Any, str]:
    import io
    with pytest.MonkeyPatch.context() as env:
        env.setattr("sys.stdin", io.StringIO(stdin))
        return run(capsys, shop, "providers", *argv)


def test_providers_sendgrid_owner_only_key_in_the_keyring(
        shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    from app.secrets import secret_store_for
    from tests.helpers import scalar
    code, _, err = provide(capsys, shop, "SG.key\n", "sendgrid", "--from", "toko@contoh.id",
                           "--user", "Budi")
    assert code == 3 and "owner" in err
    code, _, err = provide(capsys, shop, "", "sendgrid", "--user", "Wati")
    assert code == 2 and "api_key:" in err
    code, out, _ = provide(capsys, shop, "SG.secret-key\n", "sendgrid", "--from",
                           "Toko@Contoh.ID", "--from-name", "Warung Bu Sari",
                           "--url", "http://127.0.0.1:9", "--user", "Wati")
    assert code == 0 and out["sendgrid-api-key"] == "stored in the keyring"
    assert out["settings"]["messaging.email.from"] == "Toko@contoh.id"
    assert secret_store_for(shop).get("sendgrid-api-key") == "SG.secret-key"
    details = scalar(shop, "SELECT details FROM audit_log WHERE action = "
                           "'provider.credentials' AND entity_id = 'sendgrid'")
    assert "secret-key" not in details and "messaging.email.from" in details


def test_providers_twilio_and_fcm(shop: Shop, capsys: pytest.CaptureFixture[str]) -> None:
    from app.secrets import secret_store_for
    sid = "AC" + "1" * 32
    code, out, _ = provide(capsys, shop, "tok\n", "twilio", "--account-sid", sid,
                           "--whatsapp-from", "whatsapp:+14155238886", "--sms-from",
                           "0812-0000-0001", "--template", "receipt.id=HX" + "a" * 32,
                           "--user", "Wati")
    assert code == 0 and out["settings"] == {
        "messaging.twilio.account_sid": sid, "messaging.twilio.sms_from": "+6281200000001",
        "messaging.twilio.whatsapp_from": "+14155238886",
        "messaging.twilio.template.receipt.id": "HX" + "a" * 32}
    assert secret_store_for(shop).get("twilio-auth-token") == "tok"
    for bad, field in ((("--template", "receipt=HX1"), "template"),
                       (("--account-sid", "nope"), "account_sid"),
                       (("--url", "http://example.com"), "url")):
        code, _, err = provide(capsys, shop, "tok\n", "twilio", *bad, "--user", "Wati")
        assert code == 2 and f"{field}:" in err
    account = json.dumps({"type": "service_account", "project_id": "warung-1",
                          "client_email": "a@b.iam.gserviceaccount.com",
                          "private_key": "-----BEGIN PRIVATE KEY-----\n..."})
    code, out, _ = provide(capsys, shop, account, "fcm", "--user", "Wati")
    assert code == 0 and out["settings"] == {"messaging.fcm.project_id": "warung-1"}
    assert secret_store_for(shop).get("fcm-service-account") == account
    code, _, err = provide(capsys, shop, "{}", "fcm", "--user", "Wati")
    assert code == 2 and "service_account:" in err
