"""The back office's use cases, called as the desktop adapter calls them: every right is
the service's to refuse (a screen hiding a button is not a check), every typed value is
read by the service, and the product list is the one query the screens see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.shop import Shop
from services import reports as R
from services.catalogue import ProductForm, ProductInput, save_product, save_product_form
from services.catalogue_csv import import_catalogue_file
from services.catalogue_query import get_product, list_products, unit_of
from services.credentials import (
    CENTRAL_DSN_SETTING,
    SECRET_NAMES,
    SecretStoreUnavailable,
    clear_credential,
    set_credential,
    settings_view,
)
from services.errors import BadInput, NotFound, Refused
from services.stock import (
    ReceiveLineForm,
    adjust_stock_form,
    count_stock_form,
    receive_goods_form,
)
from services.users import Actor, change_role, list_users
from tests.helpers import counts, scalar, stock_of

SKU = "MI-0001"  # Indomie Goreng, pcs
EGGS = "TMB-0176"  # Telur Ayam Curah, kg
EGGS_BARCODE = "2000176000000"


# --- who may see the shop's figures ----------------------------------------------------

@pytest.mark.parametrize("who", ["cashier", "supervisor"])
def test_the_dashboard_and_reports_refuse_anyone_but_an_owner(
        who: str, shop: Shop, request: pytest.FixtureRequest) -> None:
    actor: Actor = request.getfixturevalue(who)
    day = date(2026, 12, 1)
    with shop.uow(write=False) as uow:
        with pytest.raises(Refused) as refused:
            R.dashboard_for(uow.conn, actor)
        assert refused.value.field == "user" and "owner" in refused.value.message
        for name, spec in R.REPORTS.items():
            period = R.Period.day(day) if spec.takes_period else None
            with pytest.raises(Refused):
                R.report_for(uow.conn, actor, name, period)


def test_an_owner_sees_the_same_figures_as_the_query(shop: Shop, owner: Actor) -> None:
    with shop.uow(write=False) as uow:
        day = R.today(R.local_source(uow.conn))
        assert R.dashboard_for(uow.conn, owner, day) == R.dashboard(uow.conn, day)
        period = R.Period(day - timedelta(days=6), day + timedelta(days=1))
        got = R.report_for(uow.conn, owner, "sales", period)
        assert got == R.run_report(uow.conn, "sales", period)
        assert [t.key for t in R.tables_of(got)] == ["sales_by_day"]


def test_every_report_has_its_tables(shop: Shop, owner: Actor) -> None:
    with shop.uow(write=False) as uow:
        day = R.today(R.local_source(uow.conn))
        for name, spec in R.REPORTS.items():
            report = R.report_for(uow.conn, owner, name,
                                  R.Period.day(day) if spec.takes_period else None)
            tables = R.tables_of(report)
            assert tables and all(len(t.columns) == len(row) for t in tables for row in t.rows)


def test_report_values_do_not_import_their_tables() -> None:
    import inspect

    from services.reports import values
    assert "reports.tables" not in inspect.getsource(values).replace(
        "services.reports.tables.tables_of", "")


# --- products --------------------------------------------------------------------------

def test_the_product_list_finds_by_barcode_and_filters_low_stock(shop: Shop,
                                                                 supervisor: Actor) -> None:
    with shop.uow() as uow:
        count_stock_form(uow, supervisor, SKU, "1", "uji")  # at or below its reorder point
    with shop.uow(write=False) as uow:
        assert [r.sku for r in list_products(uow.conn, text=EGGS_BARCODE)] == [EGGS]
        assert [r.sku for r in list_products(uow.conn, text="mi-0001")] == [SKU]
        low = list_products(uow.conn, low_only=True)
        row = get_product(uow.conn, list_products(uow.conn, text=SKU)[0].id)
    assert row.level_milli == 1000 and row.low and SKU in [r.sku for r in low]
    assert all(r.low for r in low)
    expected = scalar(shop, "SELECT COUNT(*) FROM product p JOIN stock_level l ON "
                      "l.product_id = p.id WHERE p.active AND p.tracks_stock AND "
                      "(l.qty_milli <= p.low_stock_milli OR l.qty_milli < 0)")
    assert len(low) == expected
    # A LIKE wildcard typed in the search box is a character, not a wildcard.
    with shop.uow(write=False) as uow:
        assert list_products(uow.conn, text="%") == []


def test_new_refuses_an_existing_sku_and_edit_an_unknown_one(shop: Shop,
                                                            supervisor: Actor) -> None:
    before = counts(shop)
    item = ProductInput(sku=SKU, name="Tiruan", price=1000)
    with shop.uow() as uow, pytest.raises(BadInput) as refused:
        save_product(uow, supervisor, item, new=True)
    assert refused.value.field == "sku" and "exists" in refused.value.message
    with shop.uow() as uow, pytest.raises(NotFound) as missing:
        save_product(uow, supervisor, ProductInput(sku="NO-SUCH-1", name="x", price=1),
                     new=False)
    assert missing.value.field == "sku"
    assert counts(shop) == before


def test_the_product_form_is_read_by_the_service(shop: Shop, supervisor: Actor,
                                                 cashier: Actor) -> None:
    form = ProductForm(sku="KOPI-9", name="Kopi Uji", price="12.500", cost="",
                       unit="kg", barcodes="8990000000013, 8990000000020", low_stock="1,5")
    with shop.uow() as uow, pytest.raises(Refused):
        save_product_form(uow, cashier, form, new=True)
    with shop.uow() as uow, pytest.raises(BadInput) as bad:
        save_product_form(uow, supervisor, ProductForm(sku="KOPI-9", name="x",
                                                       price="3.500,50"), new=True)
    assert bad.value.field == "price"
    with shop.uow() as uow, pytest.raises(BadInput) as whole:
        save_product_form(uow, supervisor, ProductForm(sku="KOPI-9", name="x", price="1",
                                                       low_stock="1,5"), new=True)
    assert whole.value.field == "low_stock"  # pcs are counted whole
    with shop.uow() as uow:
        row = save_product_form(uow, supervisor, form, new=True)
    assert (row.price, row.cost, row.unit, row.low_stock_milli, row.barcodes) == (
        12_500, 0, "kg", 1500, ("8990000000013", "8990000000020"))


def test_a_csv_file_with_bad_lines_imports_nothing_and_lists_them(shop: Shop,
                                                                  supervisor: Actor) -> None:
    before = counts(shop)
    raw = "sku,name,price\nNEW-1,Baru,5000\nNEW-2,,4000\n".encode("cp1252")
    with shop.uow() as uow:
        summary = import_catalogue_file(uow, supervisor, raw)
    assert (summary.created, [(e.line, e.field) for e in summary.errors]) == (0, [(3, "name")])
    assert counts(shop) == before
    with shop.uow() as uow:
        ok = import_catalogue_file(uow, supervisor, "\ufeffsku,name,price\nNEW-1,Kué,5000\n"
                                   .encode("utf-8"))
    assert (ok.created, ok.errors) == (1, ())
    assert scalar(shop, "SELECT name FROM product WHERE sku = 'NEW-1'") == "Kué"


# --- stock, as typed -------------------------------------------------------------------

def test_goods_received_as_typed(shop: Shop, supervisor: Actor) -> None:
    level, _ = stock_of(shop, SKU)
    lines = [ReceiveLineForm(SKU, "24", "2.800"), ReceiveLineForm(EGGS_BARCODE, "1,5", "24000")]
    with shop.uow() as uow:
        done = receive_goods_form(uow, supervisor, supplier="PT Indofood", lines=lines)
    assert (done.lines, done.total_cost) == (2, 24 * 2800 + 36_000)
    assert stock_of(shop, SKU)[0] == level + 24_000
    before = counts(shop)
    with shop.uow() as uow, pytest.raises(NotFound) as missing:
        receive_goods_form(uow, supervisor, supplier="PT X",
                           lines=[ReceiveLineForm("NO-SUCH-SKU", "1", "1000")])
    assert missing.value.field == "lines[0].code"
    with shop.uow() as uow, pytest.raises(BadInput) as half:
        receive_goods_form(uow, supervisor, supplier="PT X",
                           lines=[ReceiveLineForm(SKU, "1,5", "1000")])
    assert half.value.field == "lines[0].qty"
    with shop.uow() as uow, pytest.raises(BadInput) as paid:
        receive_goods_form(uow, supervisor, supplier="PT X", paid_from="credit card",
                           lines=[ReceiveLineForm(SKU, "1", "1000")])
    assert paid.value.field == "paid_from"
    assert counts(shop) == before


def test_adjustments_and_counts_as_typed(shop: Shop, supervisor: Actor,
                                         cashier: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Refused):
        adjust_stock_form(uow, cashier, SKU, "1", add=False, reason="rusak")
    with shop.uow() as uow:
        assert unit_of(uow.conn, EGGS_BARCODE) == "kg"
        with pytest.raises(NotFound):
            unit_of(uow.conn, "NO-SUCH")
        with pytest.raises(BadInput) as empty:
            unit_of(uow.conn, "  ")
        assert empty.value.field == "sku"
    with shop.uow() as uow:
        out = adjust_stock_form(uow, supervisor, EGGS, "0,25", add=False, reason="pecah")
    assert out.qty_milli == -250
    with shop.uow() as uow:
        counted = count_stock_form(uow, supervisor, SKU, "", " ")
    assert counted.level_milli == 0 and stock_of(shop, SKU) == (0, 0)
    assert "stock count" in scalar(shop, "SELECT details FROM audit_log WHERE action = "
                                   "'stock.count' ORDER BY id DESC LIMIT 1")


# --- users -----------------------------------------------------------------------------

def test_only_an_owner_lists_users(shop: Shop, owner: Actor, supervisor: Actor) -> None:
    with shop.uow(write=False) as uow:
        with pytest.raises(Refused):
            list_users(uow.conn, supervisor)
        rows = list_users(uow.conn, owner)
    assert [r.name for r in rows] == sorted(r.name for r in rows)
    assert {"Wati", "Budi", "Sari"} <= {r.name for r in rows}
    assert not any(r.locked for r in rows)


def test_an_owner_cannot_demote_themself(shop: Shop, owner: Actor) -> None:
    with shop.uow() as uow, pytest.raises(BadInput) as refused:
        change_role(uow, owner, owner.id, "supervisor")
    assert refused.value.field == "role"
    assert scalar(shop, "SELECT role FROM user WHERE id = :i", i=owner.id) == "owner"


# --- credentials -----------------------------------------------------------------------

class DictStore:
    def __init__(self, *, broken: bool = False) -> None:
        self.values: dict[str, str] = {}
        self.broken = broken

    def _check(self) -> None:
        if self.broken:
            raise SecretStoreUnavailable("no secure keyring on this computer")

    def get(self, name: str) -> str | None:
        self._check()
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self._check()
        self.values[name] = value

    def delete(self, name: str) -> None:
        self._check()
        self.values.pop(name, None)


class Dsns:
    @staticmethod
    def parse_dsn(dsn: str) -> dict[str, str]:
        return dict(part.split("=", 1) for part in dsn.split())

    @staticmethod
    def redact_dsn(dsn: str) -> str:
        return " ".join(p for p in dsn.split() if not p.startswith("password="))


def states(shop: Shop, owner: Actor, store: DictStore) -> dict[str, bool]:
    with shop.uow(write=False) as uow:
        return {c.key: c.is_set for c in settings_view(uow.conn, owner, store).credentials}


def test_credentials_go_to_the_secret_store_and_only_owners_touch_them(
        shop: Shop, owner: Actor, supervisor: Actor) -> None:
    store = DictStore()
    with shop.uow() as uow, pytest.raises(Refused):
        set_credential(uow, supervisor, store, "midtrans_server_key", "SB-Mid-server-1",
                       dsns=Dsns())
    with shop.uow() as uow, pytest.raises(Refused):
        clear_credential(uow, supervisor, store, "midtrans_server_key")
    with shop.uow(write=False) as uow, pytest.raises(Refused):
        settings_view(uow.conn, supervisor, store)
    with shop.uow() as uow, pytest.raises(BadInput) as spaced:
        set_credential(uow, owner, store, "midtrans_server_key", "SB Mid", dsns=Dsns())
    assert spaced.value.field == "midtrans_server_key"
    with shop.uow() as uow, pytest.raises(BadInput) as unknown:
        set_credential(uow, owner, store, "password", "x", dsns=Dsns())
    assert unknown.value.field == "credential"
    with shop.uow() as uow:
        set_credential(uow, owner, store, "midtrans_server_key", " SB-Mid-server-1 ",
                       dsns=Dsns())
    with shop.uow() as uow:
        set_credential(uow, owner, store, "central_dsn",
                       "host=pusat.example user=wati password=rahasia", dsns=Dsns())
    assert store.values == {SECRET_NAMES["midtrans_server_key"]: "SB-Mid-server-1",
                            SECRET_NAMES["central_password"]: "rahasia"}
    assert scalar(shop, "SELECT value FROM setting WHERE key = :k",
                  k=CENTRAL_DSN_SETTING) == "host=pusat.example user=wati"
    assert states(shop, owner, store) == {"midtrans_server_key": True,
                                          "midtrans_client_key": False,
                                          "central_dsn": True, "central_password": True}
    with shop.uow() as uow:
        clear_credential(uow, owner, store, "central_dsn")
    with shop.uow() as uow:
        clear_credential(uow, owner, store, "midtrans_server_key")
    assert not states(shop, owner, store)["central_dsn"]
    assert SECRET_NAMES["midtrans_server_key"] not in store.values
    audit = scalar(shop, "SELECT group_concat(action) FROM audit_log WHERE action IN "
                   "('provider.credentials', 'central.credentials', 'credential.clear')")
    assert sorted(audit.split(",")) == ["central.credentials", "credential.clear",
                                        "credential.clear", "provider.credentials"]
    with shop.uow(write=False) as uow:
        values = [str(v) for (v,) in uow.conn.exec_driver_sql("SELECT value FROM setting")]
    assert not any("SB-Mid-server-1" in v or "rahasia" in v for v in values)


def test_without_a_secret_store_the_settings_say_why(shop: Shop, owner: Actor) -> None:
    store = DictStore(broken=True)
    with shop.uow(write=False) as uow:
        view = settings_view(uow.conn, owner, store)
    assert view.keyring_problem == "no secure keyring on this computer"
    assert not any(c.is_set for c in view.credentials)
    assert view.store.store_name
    before = counts(shop)
    with shop.uow() as uow, pytest.raises(Refused) as refused:
        set_credential(uow, owner, store, "midtrans_client_key", "Mid-client-1", dsns=Dsns())
    assert refused.value.field == "midtrans_client_key"
    with shop.uow() as uow, pytest.raises(BadInput) as no_host:
        set_credential(uow, owner, store, "central_dsn", "user=wati", dsns=Dsns())
    assert no_host.value.field == "central_dsn"
    assert counts(shop) == before
