"""The Qt Linguist files of the screens' words (``resources/i18n/warungin_<lang>.ts``) and
their compiled ``.qm`` files, which :mod:`ui.i18n` loads.

    python -m ui.translations add WORDS.json   # merge {"id": {..}, "en": {..}} into the .ts
                                               # files, then compile
    python -m ui.translations compile   # every .ts -> .qm with pyside6-lrelease
    python -m ui.translations check     # exit 1 if a .qm is stale, a tr("id") in the code
                                        # has no text, or id/en do not have the same ids

Adding words: add a ``<message>`` with the id as ``<source>`` to both warungin_id.ts and
warungin_en.ts (or open them in ``pyside6-linguist``), then compile.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from ui.i18n import CONTEXT, folder as _folder

ROOT = Path(__file__).resolve().parent.parent
CODE = ("ui", "app")
_TR_CALL = re.compile(r"""\btr\(\s*["']([a-z0-9_.]+)["']""")


def read_ts(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    out: dict[str, str] = {}
    for ctx in root.iter("context"):
        if ctx.findtext("name") != CONTEXT:
            continue
        for msg in ctx.iter("message"):
            source, translation = msg.findtext("source"), msg.findtext("translation")
            if source is not None:
                out[source] = translation or ""
    return out


def ts_text(lang: str, texts: dict[str, str]) -> str:
    ts = ET.Element("TS", version="2.1", language={"id": "id_ID", "en": "en_US"}.get(lang, lang))
    ctx = ET.SubElement(ts, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for key, text in sorted(texts.items()):
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = key
        ET.SubElement(msg, "translation").text = text
    ET.indent(ts)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            + ET.tostring(ts, encoding="unicode") + "\n")


def add(words: dict[str, dict[str, str]], folder: Path | None = None) -> None:
    """Merge new or changed words into the .ts files and compile them."""
    folder = folder or _folder()
    for lang, new in words.items():
        ts = folder / f"warungin_{lang}.ts"
        texts = read_ts(ts) if ts.exists() else {}
        texts.update(new)
        ts.write_text(ts_text(lang, texts), "utf-8")
        compile_qm(ts, ts.with_suffix(".qm"))


def lrelease() -> str:
    return shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name(
        "pyside6-lrelease"))


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)


def ids_in_code(root: Path = ROOT) -> dict[str, str]:
    """Every literal ``tr("id")`` in the code, with where it is first used."""
    found: dict[str, str] = {}
    for folder in CODE:
        for path in sorted((root / folder).rglob("*.py")):
            if path.name == "translations.py":
                continue  # its docstrings show the syntax
            for key in _TR_CALL.findall(path.read_text("utf-8")):
                if not key.endswith("."):  # tr("x." + kind): a family, checked by its tests
                    found.setdefault(key, str(path.relative_to(root)))
    return found


def check(folder: Path | None = None) -> list[str]:
    """What is wrong with the translation files (empty: all in step)."""
    folder = folder or _folder()
    problems: list[str] = []
    texts: dict[str, dict[str, str]] = {}
    for ts in sorted(folder.glob("warungin_*.ts")):
        lang = ts.stem.removeprefix("warungin_")
        texts[lang] = read_ts(ts)
        empty = sorted(k for k, v in texts[lang].items() if not v)
        if empty:
            problems.append(f"{ts.name}: no text for {', '.join(empty[:5])}")
        qm = ts.with_suffix(".qm")
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / qm.name
            compile_qm(ts, fresh)
            if not qm.exists() or qm.read_bytes() != fresh.read_bytes():
                problems.append(f"{qm.name} is not compiled from {ts.name}: run "
                                "'python -m ui.translations compile'")
    ids, en = texts.get("id", {}), texts.get("en", {})
    if set(ids) != set(en):
        only = sorted(set(ids) ^ set(en))
        problems.append(f"warungin_id.ts and warungin_en.ts differ in ids: {', '.join(only[:8])}")
    for key, where in ids_in_code().items():
        if key not in ids:
            problems.append(f"{where}: tr('{key}') has no text in warungin_id.ts")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.translations")
    parser.add_argument("what", choices=["add", "compile", "check"])
    parser.add_argument("words", nargs="?", help="for 'add': a JSON file {lang: {id: text}}")
    args = parser.parse_args(argv)
    if args.what == "add":
        import json
        add(json.loads(Path(args.words).read_text("utf-8")))
        return 0
    if args.what == "compile":
        for ts in sorted(_folder().glob("*.ts")):
            compile_qm(ts, ts.with_suffix(".qm"))
        return 0
    problems = check()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
