"""QR codes are drawn locally from the qr_string."""

from __future__ import annotations

from app.qr import qr_matrix, qr_text

QRIS = ("00020101021226660014COM.GO-JEK.WWW011893600914000000000002150a5d2f346baa4450303UMI"
        "520458125303360540470005802ID5918WARUNGIN SIMULATOR6007JAKARTA6304F023")


def test_matrix_is_a_square_qr_with_finder_patterns() -> None:
    m = qr_matrix(QRIS)
    n = len(m)
    assert n >= 21 and (n - 17) % 4 == 0 and all(len(row) == n for row in m)
    # The three 7x7 finder patterns: dark outer ring, light ring, dark 3x3 centre.
    for top, left in ((0, 0), (0, n - 7), (n - 7, 0)):
        ring = [m[top][left + i] for i in range(7)] + [m[top + 6][left + i] for i in range(7)]
        assert all(ring)
        assert not m[top + 1][left + 1] and m[top + 3][left + 3]


def test_text_rendering_has_a_row_per_two_modules() -> None:
    text = qr_text(QRIS)
    rows = text.splitlines()
    assert len(rows) == (len(qr_matrix(QRIS)) + 4 + 1) // 2
    assert set("".join(rows)) <= {" ", "\xa0", "█", "▀", "▄"}


def test_different_data_gives_a_different_code() -> None:
    assert qr_matrix(QRIS) != qr_matrix(QRIS.replace("7000", "7100"))
