"""Text and JSON from outside (stdin, files, command-line arguments), checked before use.

Every refusal names the field: a JSON path such as ``lines[0].sku`` or an argument's name.

- Text must be real Unicode: Python reads undecodable bytes of stdin and argv as lone
  surrogates (``surrogateescape``), and JSON may spell one (``"\\ud800"``); neither can be
  stored (SQLite's UTF-8) or printed, so both are refused here, at the door.
- NUL is refused in every string (it cuts text short in C libraries and reports).
- JSON documents are bounded: :data:`MAX_JSON_CHARS` characters, :data:`MAX_JSON_DEPTH`
  levels of nesting, integers of at most 4,300 digits (Python's own limit).
"""

from __future__ import annotations

import json
import re
from typing import Any

from services.errors import BadInput

MAX_JSON_CHARS = 4_000_000
#: A sale is 4 levels deep (sale, lines, line, discount); goods received 3; a count 1.
MAX_JSON_DEPTH = 16

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def shown(text: str, limit: int = 40) -> str:
    """``text`` as quoted in a message or a field name: printable, at most ``limit`` chars."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    safe = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", safe)
    return safe if len(safe) <= limit else safe[:limit - 3] + "..."


def key_name(key: str) -> str:
    """A JSON key as a field name: :func:`shown`, or quoted when empty or blank (a field
    must be named by something visible)."""
    return shown(key) if key.strip() else json.dumps(key)


def _where(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line} column {column}"


def check_decoded(text: str, *, field: str) -> str:
    """Refuse text read from bytes that were not UTF-8 (they come as U+DC80..U+DCFF)."""
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise BadInput(f"is not valid UTF-8 text (at {_where(text, bad.start())})", field=field)
    return text


def bad_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    bad = _SURROGATE.search(value)
    if bad is not None:
        return (f"is not valid text (an unpaired surrogate U+{ord(bad.group()):04X}, "
                "or bytes that are not UTF-8)")
    if "\x00" in value:
        return "must not contain a NUL character"
    return None


def check_text(value: object, *, field: str, max_len: int, required: bool = False,
               controls: bool = False) -> str:
    """A stripped text field: a string, valid Unicode, no NUL (nor any other control
    character unless ``controls``), at most ``max_len`` characters; ``required``: not
    empty."""
    if not isinstance(value, str):
        raise BadInput("must be text", field=field)
    why = bad_text(value)
    if why is not None:
        raise BadInput(why, field=field)
    value = value.strip()
    if not controls and _CONTROL.search(value):
        raise BadInput("must not contain control characters (tab, newline, NUL...)",
                       field=field)
    if len(value) > max_len:
        raise BadInput(f"at most {max_len} characters (got {len(value)})", field=field)
    if required and not value:
        raise BadInput("must not be empty", field=field)
    return value


def _key(path: str, key: str) -> str:
    return f"{path}.{key_name(key)}" if path else key_name(key)


def check_json_value(data: Any, *, field: str) -> None:
    """Every string (keys too) valid text, nesting at most MAX_JSON_DEPTH; iterative, so a
    deep value cannot exhaust the stack here."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadInput(f"nested more than {MAX_JSON_DEPTH} levels deep", field=field)
        if isinstance(value, str):
            why = bad_text(value)
            if why is not None:
                raise BadInput(why, field=path or field)
        elif isinstance(value, dict):
            for k, v in value.items():
                why = bad_text(k)
                if why is not None:
                    raise BadInput(f"a key {why}", field=_key(path, k) or field)
                stack.append((v, _key(path, k), depth + 1))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                stack.append((v, f"{path}[{i}]" if path else f"{field}[{i}]", depth + 1))


def parse_json(text: str, *, field: str) -> Any:
    """A JSON document from outside, or BadInput naming ``field`` (or the path inside it)."""
    if len(text) > MAX_JSON_CHARS:
        raise BadInput(f"longer than {MAX_JSON_CHARS:,} characters".replace(",", "."),
                       field=field)
    check_decoded(text, field=field)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                       field=field) from None
    except RecursionError:
        raise BadInput(f"nested more than {MAX_JSON_DEPTH} levels deep", field=field) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise BadInput(f"malformed JSON ({shown(str(exc), 80)})", field=field) from None
    check_json_value(data, field=field)
    return data
