"""One JSON record per line: the decoding every JSONL reader of marsad shares (`marsad ingest`, the
batch job's shards, `marsad cluster`, `marsad similarity`, `marsad dedup`), so a bad line gets the
same code and wording wherever it is read.

- not UTF-8, or not JSON at all: E104 (`errors.BAD_JSON`), with the decoder's reason and position;
- nested deeper than `MAX_JSON_DEPTH` levels (or than Python can read), or an integer of over 4,300
  digits: E104 too;
- JSON but not an object, or an object without a usable `id`: E105 (`errors.BAD_RECORD`).

`where` names the line (`file:line`, `file@offset`) and starts every message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from marsad import errors
from marsad.records import Rejected

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A news record is a flat object and a page's JSON-LD nests a dozen levels; past this a value is
# refused before anything walks it (the recursive readers and writers downstream, `valid_text` and
# `json.dumps` of the stored fields, would otherwise meet Python's recursion limit).
MAX_JSON_DEPTH = 64


def nesting_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep `value` (a decoded JSON value) nests lists and objects (a scalar: 0), counted without
    recursion and only up to `limit` + 1: a value deeper than `limit` returns `limit` + 1."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            depth += 1
            if depth > limit:
                return depth
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in item if isinstance(child, dict | list))
    return deepest


def json_value(raw: bytes | str, where: str) -> Any:
    """The JSON value in `raw`, lone UTF-16 surrogates replaced (see `valid_text`). Raises InputError
    (E104) when it is not UTF-8 JSON or cannot be read."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise errors.InputError(
            f"{where}: not UTF-8 ({exc.reason} at byte {exc.start})", code=errors.BAD_JSON
        ) from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise errors.InputError(
            f"{where}: invalid JSON ({exc.msg} at column {exc.colno})", code=errors.BAD_JSON
        ) from exc
    except RecursionError as exc:
        raise _too_deep(where) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits (sys.int_info.default_max_str_digits)
        raise errors.InputError(f"{where}: unreadable JSON value ({exc})", code=errors.BAD_JSON) from exc
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise _too_deep(where)
    # Only an escape can bring a surrogate in (UTF-8 input cannot hold one).
    return valid_text(value) if _SURROGATE_ESCAPE.search(text) else value


def _too_deep(where: str) -> errors.InputError:
    return errors.InputError(
        f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep (a news record is a flat object)",
        code=errors.BAD_JSON,
    )


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _repaired(text: str) -> str:
    # JSON may escape half of a UTF-16 pair (\ud800) alone: valid JSON, not valid text. It cannot
    # be stored or encoded; it becomes U+FFFD (a proper pair escaped in two halves is joined).
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def valid_text(value: Any) -> Any:
    """`value` (a decoded JSON value) with every lone UTF-16 surrogate in its strings and keys
    replaced by U+FFFD; the same object when there is none."""
    if isinstance(value, str):
        return _repaired(value) if _has_lone_surrogate(value) else value
    if isinstance(value, list):
        return [valid_text(v) for v in value]
    if isinstance(value, dict):
        return {valid_text(k): valid_text(v) for k, v in value.items()}
    return value


def json_object(raw: bytes | str, where: str) -> dict[str, Any]:
    """The JSON object in `raw`. Raises InputError: E104 not JSON, E105 JSON but not an object."""
    value = json_value(raw, where)
    if not isinstance(value, dict):
        raise errors.InputError(
            f"{where}: expected a JSON object, got {type(value).__name__}", code=errors.BAD_RECORD
        )
    return value


def record_id(record: dict[str, Any], where: str) -> str:
    """The record's `id` as a string. Raises InputError (E105) when missing, empty or not a string or
    an integer."""
    rid = record.get("id")
    if isinstance(rid, bool) or not isinstance(rid, str | int) or str(rid) == "":
        raise errors.InputError(
            f"{where}: record needs a non-empty 'id' (string or integer)", code=errors.BAD_RECORD
        )
    return str(rid)


def rejected(stage: str, exc: errors.InputError, where: str) -> Rejected:
    """The stored form of a line refused with `exc` (its message already names `where`)."""
    return Rejected(stage=stage, code=exc.code, record_id=where, detail=str(exc.args[0]))
