"""The balance sheet's note on loyalty points (issue 15 with issue 14's books): the rupiah of
points members may still redeem, equal to the loyalty ledger's own figure, shown in both
languages; and no note where nobody holds points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.shop import Shop
from services.books.statements import balance_sheet
from services.loyalty import outstanding_points_value
from services.reports.export import to_html
from services.users import Actor
from tests.services.test_loyalty import member, pts, sell, setup

INDOMIE = "8991619730698"  # Rp 3.500 in the demo catalogue


def test_outstanding_points_are_a_note_not_a_liability(shop: Shop, owner: Actor,
                                                       cashier: Actor) -> None:
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()  # the demo store's day
    with shop.uow(write=False) as uow:
        before = balance_sheet(uow.conn, today)
    assert before.points_outstanding == 0
    assert not any("poin" in n for n in before.report().notes)

    setup(shop, owner)  # 1 point per Rp 1.000 pre-tax, worth Rp 100 each
    cid = member(shop)
    sell(shop, cashier, [(INDOMIE, 10_000)], [("cash", 35_000)], cid)
    points = pts(shop, cid)
    assert points > 0
    with shop.uow(write=False) as uow:
        sheet = balance_sheet(uow.conn, today)
        at_end = outstanding_points_value(uow.conn, datetime.now(UTC) + timedelta(days=1))
    assert sheet.points_outstanding == points * 100 == at_end
    assert sheet.balanced  # a note: nothing was booked for it
    assert sheet.total_liabilities == before.total_liabilities + sheet.ppn_payable \
        - before.ppn_payable
    report = sheet.report()
    note = next(n for n in report.notes if "poin" in n)
    amount = f"Rp {points * 100:,}".replace(",", ".")
    assert amount in note
    english = note.text("en")  # type: ignore[attr-defined]
    assert f"Rp {points * 100:,}" in english and "loyalty points" in english
    assert amount in to_html(report, "Neraca")  # the HTML and PDF carry the notes


def test_the_catalogue_report_carries_the_note(shop: Shop, owner: Actor,
                                              cashier: Actor) -> None:
    """``warungin report balance-sheet`` and the Reports screen run the statement through
    the catalogue (with the till's report source): the note is there too."""
    from services.reports import catalogue
    setup(shop, owner)
    cid = member(shop)
    sell(shop, cashier, [(INDOMIE, 10_000)], [("cash", 35_000)], cid)
    with shop.uow(write=False) as uow:
        report = catalogue.run(uow.conn, "balance-sheet", None)
    assert any(f"Rp {pts(shop, cid) * 100:,}".replace(",", ".") in n for n in report.notes)
