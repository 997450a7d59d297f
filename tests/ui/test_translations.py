"""The screens' words come from the Qt Linguist files in resources/i18n (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui import i18n, translations


def test_every_word_in_the_code_has_a_text_and_every_qm_is_compiled_from_its_ts() -> None:
    assert translations.check() == []


def test_words_follow_the_language_and_fall_back_to_bahasa_indonesia() -> None:
    assert set(i18n.languages()) >= {"id", "en"}
    i18n.set_language("id")
    assert i18n.tr("till.search") == "Cari (F2)"
    i18n.set_language("en")
    assert i18n.tr("till.search") == "Search (F2)"
    assert i18n.tr("app.title", store="Toko") == "Warungin — Toko"
    with pytest.raises(KeyError, match="no-such-id"):
        i18n.tr("no-such-id")
    with pytest.raises(ValueError, match="no translation"):
        i18n.set_language("xx")
    assert i18n.language() == "en"  # a refused language changes nothing


def test_a_new_language_is_a_ts_file_compiled_to_qm(tmp_path: Path) -> None:
    """What a translator does: a .ts with some ids, compiled; missing ids fall back."""
    translations.add({"jv": {"till.search": "Golek (F2)"}}, folder=tmp_path)
    assert (tmp_path / "warungin_jv.qm").exists()
    assert translations.read_ts(tmp_path / "warungin_jv.ts") == {"till.search": "Golek (F2)"}


def test_the_check_finds_a_stale_qm(tmp_path: Path) -> None:
    translations.add({"id": {"till.search": "Cari (F2)"}, "en": {"till.search": "Search"}},
                     folder=tmp_path)
    ts = tmp_path / "warungin_en.ts"
    ts.write_text(ts.read_text("utf-8").replace("Search", "Find"), "utf-8")
    problems = translations.check(tmp_path)
    assert any("warungin_en.qm is not compiled" in p for p in problems)


def test_the_icons_load(qapp: object) -> None:
    from ui.icons import icon
    for name in ("warungin", "pay", "sync"):
        assert not icon(name).pixmap(24, 24).isNull(), name
    with pytest.raises(FileNotFoundError):
        icon("no-such-icon")
