"""One JSON record per line: the decoding every JSONL reader of marsad shares (`marsad ingest`, the
batch job's shards, `marsad cluster`, `marsad similarity`, `marsad dedup`), so a bad line gets the
same code and wording wherever it is read.

- not UTF-8, or not JSON at all: E104 (`errors.BAD_JSON`), with the decoder's reason and position;
- JSON but not an object, or an object without a usable `id`: E105 (`errors.BAD_RECORD`).

`where` names the line (`file:line`, `file@offset`) and starts every message.
"""

from __future__ import annotations

import json
from typing import Any

from marsad import errors
from marsad.records import Rejected


def json_value(raw: bytes | str, where: str) -> Any:
    """The JSON value in `raw`. Raises InputError (E104) when it is not UTF-8 JSON."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise errors.InputError(
            f"{where}: not UTF-8 ({exc.reason} at byte {exc.start})", code=errors.BAD_JSON
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise errors.InputError(
            f"{where}: invalid JSON ({exc.msg} at column {exc.colno})", code=errors.BAD_JSON
        ) from exc


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
