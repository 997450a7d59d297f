"""Products and stock in the back office, on a copy of the demo shop: edit with a bad
price, CSV import with its line errors, goods received, adjustments, counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from tests.helpers import counts, scalar, stock_of
from tests.ui.conftest import log_in
from ui.main_window import MainWindow
from ui.office.products import ProductsScreen
from ui.office.stock_dialogs import (
    AdjustDialog,
    CountDialog,
    ImportResultDialog,
    ProductDialog,
    ReceiveDialog,
)

SKU = "MI-0001"


@pytest.fixture
def products(qtbot: QtBot, window: MainWindow) -> ProductsScreen:
    log_in(qtbot, window, "Budi", "5678")  # a supervisor: products and stock are theirs
    page = window.office.page
    with qtbot.waitSignal(page.screen_shown, timeout=5000):
        window.office.open()
    screen = page.widget("products")
    assert isinstance(screen, ProductsScreen)
    qtbot.waitUntil(lambda: len(screen.rows) > 0, timeout=10_000)
    return screen


def search(qtbot: QtBot, screen: ProductsScreen, text: str) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        screen.search.setText(text)
        qtbot.keyClick(screen.search, Qt.Key.Key_Return)


def test_search_and_filters(qtbot: QtBot, products: ProductsScreen, shop: Shop,
                            backend: GuiBackend) -> None:
    backend.core.login("Budi", "5678")
    backend.office.count_stock(SKU, "1", "uji")  # below its reorder point now
    search(qtbot, products, SKU)
    assert [r.sku for r in products.rows] == [SKU]
    search(qtbot, products, "8991619730698")  # a barcode finds its product
    assert [r.name for r in products.rows] == ["Indomie Goreng 85 g"]
    search(qtbot, products, "")
    with qtbot.waitSignal(products.loaded, timeout=5000):
        products.low_only.setChecked(True)
    expected = scalar(shop, "SELECT COUNT(*) FROM product p JOIN stock_level l ON "
                      "l.product_id = p.id WHERE p.active AND p.tracks_stock AND "
                      "(l.qty_milli <= p.low_stock_milli OR l.qty_milli < 0)")
    assert len(products.rows) == expected >= 1
    assert all(r.low for r in products.rows) and SKU in [r.sku for r in products.rows]
    # A category filter lists only that category's products.
    index = products.category.findData("Sembako")
    assert index > 0
    with qtbot.waitSignal(products.loaded, timeout=5000):
        products.low_only.setChecked(False)
    with qtbot.waitSignal(products.loaded, timeout=5000):
        products.category.setCurrentIndex(index)
    assert products.rows and {r.category for r in products.rows} == {"Sembako"}


def test_a_bad_price_names_the_field_and_changes_nothing(qtbot: QtBot,
                                                         products: ProductsScreen,
                                                         shop: Shop) -> None:
    search(qtbot, products, SKU)
    products.table.selectRow(0)
    before = counts(shop), scalar(shop, "SELECT price FROM product WHERE sku = :s", s=SKU)
    qtbot.keyClick(products.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = products.dialog
    assert isinstance(dialog, ProductDialog)
    assert dialog.sku.isReadOnly() and dialog.sku.text() == SKU
    dialog.price.setText("3.500,50")
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # the default button: Save
    assert "whole rupiah" in dialog.errors.error_of("price")
    assert dialog.errors.labels["price"].isVisible()
    assert dialog.isVisible()  # still open, to fix the price
    assert (counts(shop), scalar(shop, "SELECT price FROM product WHERE sku = :s", s=SKU)
            ) == before
    # Fixed, it saves: the new price is in the database and in the list.
    dialog.price.setText("3.900")
    dialog.low_stock.setText("12")
    with qtbot.waitSignal(products.loaded, timeout=5000):
        dialog.save_button.click()
    assert scalar(shop, "SELECT price FROM product WHERE sku = :s", s=SKU) == 3900
    assert scalar(shop, "SELECT low_stock_milli FROM product WHERE sku = :s", s=SKU) == 12000
    assert products.rows[0].price == 3900
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'product.price'") >= 1
    assert products.dialog is None


def test_a_new_product(qtbot: QtBot, products: ProductsScreen, shop: Shop) -> None:
    products.new_product()
    dialog = products.dialog
    assert isinstance(dialog, ProductDialog)
    dialog.sku.setText("KOPI-9999")
    dialog.name.setText("Kopi Bubuk Uji 100 g")
    dialog.price.setText("12.500")
    dialog.category.setCurrentText("Minuman")
    dialog.barcodes.setText("8990000000013")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.submit()
    assert scalar(shop, "SELECT price FROM product WHERE sku = 'KOPI-9999'") == 12500
    # The same SKU again as "new" is refused, naming the SKU.
    products.new_product()
    again = products.dialog
    assert isinstance(again, ProductDialog)
    again.sku.setText("KOPI-9999")
    again.name.setText("x")
    again.price.setText("1")
    with qtbot.waitSignal(again.failed, timeout=5000):
        again.submit()
    assert "exists" in again.errors.error_of("sku")


def test_csv_import_lists_every_bad_line_and_imports_nothing(
        qtbot: QtBot, products: ProductsScreen, shop: Shop, tmp_path: Path) -> None:
    csv = tmp_path / "katalog.csv"
    csv.write_text("sku,name,price,unit\n"
                   "NEW-1,Barang Baru,5000,pcs\n"
                   "NEW-2,,4000,pcs\n"
                   "NEW-3,Harga Salah,12x,pcs\n"
                   "NEW-4,Satuan Salah,1000,ekor\n", encoding="utf-8")
    before = counts(shop)
    with qtbot.waitSignal(products.imported, timeout=10_000) as got:
        products.import_csv(str(csv))
    outcome = got.args[0]
    assert [(e.line, e.field) for e in outcome.errors] == [(3, "name"), (4, "price"),
                                                           (5, "unit")]
    dialog = products.dialog
    assert isinstance(dialog, ImportResultDialog)
    assert dialog.table.rowCount() == 3
    assert dialog.table.item(1, 0).text() == "4" and dialog.table.item(1, 1).text() == "price"
    assert "tidak ada yang diimpor" in dialog.summary.text()
    assert counts(shop) == before
    dialog.accept()
    # A good file goes in.
    csv.write_text("sku,name,price\nNEW-1,Barang Baru,5000\n", encoding="utf-8")
    with qtbot.waitSignal(products.imported, timeout=10_000) as got:
        products.import_csv(str(csv))
    assert got.args[0].created == 1 and not got.args[0].errors
    assert scalar(shop, "SELECT price FROM product WHERE sku = 'NEW-1'") == 5000


def test_goods_received_raises_the_stock_level(qtbot: QtBot, products: ProductsScreen,
                                               shop: Shop) -> None:
    level_before, _ = stock_of(shop, SKU)
    search(qtbot, products, SKU)
    products.table.selectRow(0)
    qtbot.keyClick(products.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = products.dialog
    assert isinstance(dialog, ReceiveDialog)
    dialog.supplier.setText("PT Indofood")
    dialog.set_line(0, SKU, "24", "2.800")
    dialog.set_line(1, "NO-SUCH-SKU", "1", "1000")
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        dialog.submit()
    assert "NO-SUCH-SKU" in dialog.errors.error_of("lines")
    assert stock_of(shop, SKU)[0] == level_before
    dialog.set_line(1, "", "", "")
    with qtbot.waitSignal(products.loaded, timeout=5000):
        dialog.submit()
    level, moved = stock_of(shop, SKU)
    assert level == level_before + 24_000 and moved == level
    assert products.rows[0].level_milli == level
    assert "Rp 67.200" in products.message.text()


def test_adjustment_with_a_reason_and_a_stock_count(qtbot: QtBot, products: ProductsScreen,
                                                    shop: Shop) -> None:
    start, _ = stock_of(shop, SKU)
    search(qtbot, products, SKU)
    products.table.selectRow(0)
    products.adjust()
    adjust = products.dialog
    assert isinstance(adjust, AdjustDialog) and adjust.code.text() == SKU
    adjust.qty.setText("2")
    with qtbot.waitSignal(adjust.failed, timeout=5000):
        adjust.submit()  # no reason
    assert adjust.errors.error_of("reason")
    assert stock_of(shop, SKU)[0] == start
    adjust.reason.setText("rusak di gudang")
    with qtbot.waitSignal(products.loaded, timeout=5000):
        adjust.submit()
    assert stock_of(shop, SKU)[0] == start - 2000
    products.count()
    count = products.dialog
    assert isinstance(count, CountDialog)
    count.counted.setText("50")
    with qtbot.waitSignal(products.loaded, timeout=5000):
        count.submit()
    assert stock_of(shop, SKU) == (50_000, 50_000)
