"""Printing receipts: the bytes a File printer receives, a real TCP printer, an unreachable
one, the PDF, and nothing heavy imported at start-up."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.printing.escpos as escpos_out
from app.printing import print_receipt, print_text, receipt_pdf
from app.shop import Shop
from local_db.store import write_settings
from services.errors import NotFound
from services.money import format_rupiah
from services.receipt_layout import as_text, layout_receipt
from services.receipts import receipt_for
from services.refunds import refund_sale
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.users import Actor

GS_K = b"\x1d(k"  # GS ( k: the printer's own QR code
CUT = b"\x1dV"  # GS V: cut
KICK = b"\x1bp"  # ESC p: drawer kick pulse


def sell(shop: Shop, actor: Actor, pays: list[tuple[str, int]],
         lines: tuple[LineRequest, ...] = (LineRequest("MI-0001", 2000),
                                           LineRequest("TMB-0176", 750))) -> SaleResult:
    req = SaleRequest(lines, tuple(PaymentRequest(m, a) for m, a in pays))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def use_printer(shop: Shop, **values: str) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {f"printer.{k}": v for k, v in values.items()})
        uow.commit()


@pytest.fixture
def out(shop: Shop, tmp_path: Path) -> Path:
    path = tmp_path / "printer.bin"
    use_printer(shop, kind="file", target=str(path))
    return path


def strip_commands(job: bytes) -> bytes:
    """The job's text: the ESC/POS commands this code sends, with their parameters, cut
    out (an unknown command fails the test rather than pass as text)."""
    out = bytearray()
    i = 0
    while i < len(job):
        b = job[i]
        if b == 0x1B:
            c = job[i + 1:i + 2]
            if c == b"@":
                i += 2
            elif c == b"p":
                i += 5  # ESC p m t1 t2
            elif c in (b"!", b"E", b"M", b"a", b"t", b"d", b"-"):
                i += 3
            else:
                raise AssertionError(f"unexpected ESC {c!r} at {i}")
        elif b == 0x1D:
            c = job[i + 1:i + 2]
            if c == b"(" and job[i + 2:i + 3] == b"k":
                i += 5 + job[i + 3] + 256 * job[i + 4]
            elif c in (b"V", b"!"):
                i += 3
            else:
                raise AssertionError(f"unexpected GS {c!r} at {i}")
        else:
            out.append(b)
            i += 1
    return bytes(out)


def text_lines(job: bytes) -> list[str]:
    """The job's lines of printed text."""
    return strip_commands(job).decode("ascii").split("\n")


def test_cash_sale_prints_header_total_qr_cut_and_kicks_the_drawer(
        shop: Shop, cashier: Actor, out: Path) -> None:
    sale = sell(shop, cashier, [("cash", 50_000)])
    outcome = print_receipt(shop, sale.receipt_no)
    assert outcome.printed and outcome.drawer_kicked
    assert str(out) in outcome.printer and sale.receipt_no in outcome.message
    job = out.read_bytes()
    assert job.startswith(b"\x1b@")  # ESC @: a clean printer state first
    assert b"Toko Demo Warungin" in job
    assert sale.receipt_no.encode() in job
    assert format_rupiah(sale.payable).encode() in job
    assert b"Tunai" in job and format_rupiah(sale.change).encode() in job
    assert job.count(KICK) == 1 and job.index(KICK) < job.index(b"Toko Demo")
    # The text printed is the 58 mm layout, line for line.
    with shop.uow(write=False) as uow:
        laid = layout_receipt(receipt_for(uow, shop.config, sale.receipt_no), 32)
    assert as_text(laid) in strip_commands(job).decode("ascii")
    qr = job.index(GS_K)
    # The QR's data is the receipt number (GS ( k, function 80: store the data).
    assert GS_K + bytes([len(sale.receipt_no) + 3, 0]) + b"1P0" + sale.receipt_no.encode() \
        in job
    assert job.rindex(CUT) > qr  # the cut comes last
    # The total is bold and double height: ESC E 1 then ESC ! with double height (0x10).
    total = job.index(b"TOTAL")
    assert b"\x1bE\x01" in job[total - 12:total] and b"\x1b!\x10" in job[total - 12:total]


def test_non_cash_sale_leaves_the_drawer_shut(shop: Shop, cashier: Actor, out: Path) -> None:
    sale = sell(shop, cashier, [("edc", 28_750)])
    outcome = print_receipt(shop, sale.receipt_no)
    assert outcome.printed and not outcome.drawer_kicked
    job = out.read_bytes()
    assert KICK not in job
    assert sale.receipt_no.encode() in job and GS_K in job and CUT in job


def test_drawer_setting_off_and_reprints_never_kick(shop: Shop, cashier: Actor,
                                                    out: Path) -> None:
    sale = sell(shop, cashier, [("cash", 50_000)])
    copy = print_receipt(shop, sale.receipt_no, copy=True)
    assert copy.printed and not copy.drawer_kicked
    job = out.read_bytes()
    assert KICK not in job and b"SALINAN" in job
    use_printer(shop, drawer="0")
    outcome = print_receipt(shop, sale.receipt_no)
    assert outcome.printed and not outcome.drawer_kicked
    assert KICK not in out.read_bytes()


@pytest.mark.parametrize("paper,width", [("58", 32), ("80", 48)])
def test_paper_width_sets_the_line_width(shop: Shop, cashier: Actor, out: Path, paper: str,
                                         width: int) -> None:
    use_printer(shop, paper_mm=paper)
    sale = sell(shop, cashier, [("cash", 50_000)])
    assert print_receipt(shop, sale.receipt_no).printed
    lines = text_lines(out.read_bytes())
    assert max(len(x) for x in lines) == width
    assert "-" * width in lines
    receipt_line = next(x for x in lines if sale.receipt_no in x)
    assert len(receipt_line) == width and receipt_line.endswith(sale.receipt_no)


def test_a_refund_number_prints_a_refund_receipt(shop: Shop, cashier: Actor,
                                                 out: Path) -> None:
    sale = sell(shop, cashier, [("cash", 50_000)])
    with shop.uow() as uow:
        done = refund_sale(uow, shop.config, cashier, sale.receipt_no, [(1, 1000)], "rusak",
                           Approval("Budi", "5678"))
    outcome = print_receipt(shop, done.refund_no)
    assert outcome.printed
    job = out.read_bytes()
    assert b"RETUR" in job and done.refund_no.encode() in job
    assert sale.receipt_no.encode() in job


def test_plain_text_lines_print_for_reports(shop: Shop, out: Path) -> None:
    report = ["LAPORAN X", "Penjualan 12          Rp 345.000",
              "Sebuah baris yang jauh terlalu panjang untuk kertas 58 mm ini"]
    outcome = print_text(shop, report, what="X report")
    assert outcome.printed and not outcome.drawer_kicked and "X report" in outcome.message
    job = out.read_bytes()
    lines = text_lines(job)
    assert "LAPORAN X" in lines and "Penjualan 12          Rp 345.000" in lines
    assert all(len(x) <= 32 for x in lines)
    assert "Sebuah baris yang jauh terlalu" in lines  # wrapped at a word
    assert CUT in job and KICK not in job and GS_K not in job


@pytest.fixture
def tcp_printer() -> Iterator[tuple[int, list[bytes]]]:
    """A real network printer stand-in on 127.0.0.1: takes one job, keeps its bytes."""
    server = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            chunks = []
            while data := conn.recv(65536):
                chunks.append(data)
            got.append(b"".join(chunks))

    worker = threading.Thread(target=serve, daemon=True)
    worker.start()
    yield server.getsockname()[1], got
    worker.join(timeout=5)
    server.close()


def test_network_printer_receives_the_job(shop: Shop, cashier: Actor,
                                          tcp_printer: tuple[int, list[bytes]]) -> None:
    port, got = tcp_printer
    use_printer(shop, kind="network", target=f"127.0.0.1:{port}", paper_mm="80")
    sale = sell(shop, cashier, [("cash", 50_000)])
    outcome = print_receipt(shop, sale.receipt_no)
    assert outcome.printed and outcome.printer == f"network printer 127.0.0.1:{port}"
    for _ in range(50):
        if got:
            break
        time.sleep(0.05)
    assert got and sale.receipt_no.encode() in got[0] and GS_K in got[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_printer_that_is_off_is_reported_not_raised(shop: Shop, cashier: Actor) -> None:
    port = free_port()  # nothing listens there: the printer is off
    use_printer(shop, kind="network", target=f"127.0.0.1:{port}")
    sale = sell(shop, cashier, [("cash", 50_000)])
    started = time.monotonic()
    outcome = print_receipt(shop, sale.receipt_no)
    assert time.monotonic() - started < 2
    assert not outcome.printed and not outcome.drawer_kicked
    assert f"127.0.0.1:{port}" in outcome.message and "cannot be reached" in outcome.message
    assert sale.receipt_no in outcome.message  # saved; reprint later


def test_printer_that_does_not_answer_times_out_quickly(
        shop: Shop, cashier: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    # A TEST-NET-1 address (RFC 5737): never routed, so the connect gets no answer (or an
    # immediate "unreachable" where there is no route at all).
    monkeypatch.setattr(escpos_out, "CONNECT_TIMEOUT", 0.5)
    use_printer(shop, kind="network", target="192.0.2.1:9100")
    sale = sell(shop, cashier, [("cash", 50_000)])
    started = time.monotonic()
    outcome = print_receipt(shop, sale.receipt_no)
    assert time.monotonic() - started < 1.5
    assert not outcome.printed and "192.0.2.1:9100" in outcome.message


def test_missing_usb_and_serial_printers_are_reported(shop: Shop, cashier: Actor,
                                                      tmp_path: Path) -> None:
    sale = sell(shop, cashier, [("cash", 50_000)])
    use_printer(shop, kind="usb", target="0416:5011")
    usb = print_receipt(shop, sale.receipt_no)
    assert not usb.printed and "USB printer 0416:5011" in usb.message
    missing = tmp_path / "ttyUSB9"
    use_printer(shop, kind="serial", target=f"{missing}:19200")
    serial = print_receipt(shop, sale.receipt_no)
    assert not serial.printed and f"serial printer {missing} (19200 baud)" in serial.message


def test_no_printer_or_wrong_settings_say_so(shop: Shop, cashier: Actor) -> None:
    sale = sell(shop, cashier, [("cash", 50_000)])
    none = print_receipt(shop, sale.receipt_no)  # the demo has no printer set up
    assert (none.printed, none.printer, none.drawer_kicked) == (False, "none", False)
    use_printer(shop, kind="file", target="/nowhere", paper_mm="70")
    wrong = print_receipt(shop, sale.receipt_no)
    assert not wrong.printed and "printer.paper_mm" in wrong.message
    use_printer(shop, kind="usb", target="printer-one", paper_mm="58")
    wrong = print_receipt(shop, sale.receipt_no)
    assert not wrong.printed and "printer.target" in wrong.message


def test_unknown_receipt_number_is_refused(shop: Shop, out: Path) -> None:
    with pytest.raises(NotFound) as err:
        print_receipt(shop, "DEMO-T01-999999")
    assert err.value.field == "receipt_no"
    assert not out.exists()


def test_pdf_receipt(shop: Shop, cashier: Actor, tmp_path: Path) -> None:
    sale = sell(shop, cashier, [("cash", 50_000)])
    path = receipt_pdf(shop, sale.receipt_no, tmp_path / "struk" / "receipt.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert sale.receipt_no.encode() in data  # uncompressed page: the text is there
    assert format_rupiah(sale.payable).encode() in data
    assert b"/Courier" in data and data.rstrip().endswith(b"%%EOF")
    assert not (tmp_path / "struk" / "receipt.pdf.part").exists()


def test_printing_libraries_load_only_when_used() -> None:
    """Cold start: importing the program, its printing package and the till's receipt
    hook must not import python-escpos or reportlab (they load when a receipt prints)."""
    code = ("import sys, app.gui, app.printing, ui.main_window, ui.receipt_printing, "
            "app.cli.receipt; "
            "print(sorted(m for m in ('escpos', 'reportlab', 'PIL', 'usb', 'serial') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
