"""Catalogue: barcode check digits, CSV import (all-or-nothing) and export, FTS search."""

from __future__ import annotations

import pytest

from app.demo import catalogue_text
from app.shop import Shop
from services.barcodes import validate_barcode, with_check_digit
from services.catalogue import ProductInput, lookup_item, save_product, search_products
from services.catalogue_csv import ImportRejected, export_catalogue, import_catalogue
from services.errors import BadInput
from services.users import Actor
from tests.helpers import counts, scalar


@pytest.mark.parametrize("code", ["8992388101016",  # EAN-13
                                  "96385074",  # EAN-8
                                  "036000291452",  # UPC-A
                                  "2000123000008",  # in-store EAN-13 (prefix 20, weighed goods)
                                  "WRG-0012"])  # the shop's own label
def test_valid_codes(code: str) -> None:
    assert validate_barcode(code) == code


@pytest.mark.parametrize("code", ["8992388101014", "96385075", "036000291453",
                                  "2000123000005", "a b", ""])
def test_wrong_check_digit_or_shape(code: str) -> None:
    with pytest.raises(BadInput) as e:
        validate_barcode(code)
    assert e.value.field == "barcode"


def test_check_digit_is_gs1_mod10() -> None:
    assert with_check_digit("899238810101") == "8992388101016"
    assert with_check_digit("9638507") == "96385074"


CSV_OK = """sku,name,category,unit,price,cost,tax_class,barcodes,tracks_stock,low_stock,active
KOP-1,Kopi Tubruk 100 g,Kopi & Teh,pcs,12000,9000,PPN,{ean},1,3,1
GUL-1,Gula Aren,Sembako,kg,28000,21000,BEBAS,,1,1.5,1
"""


def test_import_export_round_trip(shop: Shop, supervisor: Actor) -> None:
    ean = with_check_digit("899000000001")
    with shop.uow() as uow:
        s = import_catalogue(uow, supervisor, CSV_OK.format(ean=ean))
    assert (s.created, s.updated) == (2, 0)
    with shop.uow(write=False) as uow:
        assert lookup_item(uow.conn, ean).sku == "KOP-1"
        text = export_catalogue(uow)
    assert f"KOP-1,Kopi Tubruk 100 g,Kopi & Teh,pcs,12000,9000,PPN,{ean},1,3,1" in text
    assert "GUL-1,Gula Aren,Sembako,kg,28000,21000,BEBAS,,1,1.5,1" in text
    # Importing the export again changes nothing and says so; after one price change, one
    # product is updated (and only it is written and sent to central).
    with shop.uow() as uow:
        s = import_catalogue(uow, supervisor, text)
    demo_products = len(catalogue_text().strip().splitlines()) - 1
    assert (s.created, s.updated, s.unchanged) == (0, 0, demo_products + 2)
    edited = text.replace("KOP-1,Kopi Tubruk 100 g,Kopi & Teh,pcs,12000,",
                          "KOP-1,Kopi Tubruk 100 g,Kopi & Teh,pcs,12500,")
    before = counts(shop)["outbox"]
    with shop.uow() as uow:
        s = import_catalogue(uow, supervisor, edited)
    assert (s.created, s.updated, s.unchanged) == (0, 1, demo_products + 1)
    assert counts(shop)["outbox"] == before + 1
    with shop.uow(write=False) as uow:
        assert lookup_item(uow.conn, "KOP-1").unit_price == 12500


def test_import_is_all_or_nothing_and_reports_every_line(shop: Shop, supervisor: Actor) -> None:
    bad = ("sku,name,unit,price,tax_class,barcodes\n"
           "OK-1,Fine,pcs,1000,PPN,\n"
           "BAD 2,Space in sku,pcs,1000,PPN,\n"
           "OK-3,Bad price,pcs,12.5,PPN,\n"
           "OK-4,Bad unit,bucket,1000,PPN,\n"
           "OK-5,Bad tax,pcs,1000,VAT,\n"
           "OK-6,Bad barcode,pcs,1000,PPN,8992388101019\n"
           "OK-1,Duplicate,pcs,1000,PPN,\n"
           "OK-8,Taken barcode,pcs,1000,PPN,8991619730698\n")
    before = counts(shop)
    with shop.uow() as uow, pytest.raises(ImportRejected) as e:
        import_catalogue(uow, supervisor, bad)
    got = [(x.line, x.field) for x in e.value.errors]
    assert got == [(3, "sku"), (4, "price"), (5, "unit"), (6, "tax_class"), (7, "barcode"),
                   (8, "sku"), (9, "barcodes")]
    assert counts(shop) == before


def test_search_by_name_sku_and_barcode_prefix(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        names = [h.sku for h in search_products(uow.conn, "indo gor")]
        assert names[:1] == ["MI-0001"] or "MI-0001" in names
        assert [h.sku for h in search_products(uow.conn, "MI-00")][:1]
        assert [h.sku for h in search_products(uow.conn, "89916197")] == ["MI-0001"]
        assert search_products(uow.conn, "") == []
        assert search_products(uow.conn, '"*:') == []  # FTS syntax is never passed through


def test_price_change_is_audited_and_queued(shop: Shop, supervisor: Actor) -> None:
    with shop.uow() as uow:
        save_product(uow, supervisor, ProductInput(sku="MI-0001", name="Indomie Goreng 85 g",
                                                   price=3700, cost=2850, category="Mi Instan",
                                                   barcodes=("8991619730698",)))
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action='product.price'") == 1
    with shop.uow(write=False) as uow:
        assert lookup_item(uow.conn, "8991619730698").unit_price == 3700
        assert [h.sku for h in search_products(uow.conn, "indomie goreng 85")] == ["MI-0001"]
