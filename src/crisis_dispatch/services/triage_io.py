"""Reading calls for triage (JSON lines, CSV) and finding unmapped call types and codes.

Input shape, one JSON object per line (issue 3)::

    {"id", "call_type", "narrative", "code"?, "priority"?, "answers"?: {question_id: value}}

Bad lines never stop the others: :func:`read_call_lines` yields either a call or a
readable error for each line, with its line number.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from crisis_dispatch.domain.triage import CallInput, CodeMappings

CALL_TYPE_COLUMNS = ("call_type", "calltype", "call type", "field 1", "type", "nature", "problem", "incident_type")
CODE_COLUMNS = ("code", "call_code", "determinant", "incident_code")
COUNT_COLUMNS = ("count", "n", "calls")


class CallInputError(ValueError):
    """One input line or row that cannot be a call; the message is for a person."""


@dataclass(frozen=True)
class LineError:
    lineno: int
    message: str

    def __str__(self) -> str:
        return f"line {self.lineno}: {self.message}"


def call_from_dict(data: Any) -> CallInput:
    """Validate one decoded JSON object and build the call; raise CallInputError."""
    if not isinstance(data, dict):
        raise CallInputError(f"expected a JSON object, got {type(data).__name__}")
    ident = data.get("id")
    if ident is None or isinstance(ident, (bool, dict, list)) or str(ident).strip() == "":
        raise CallInputError("missing 'id'")
    texts: dict[str, str | None] = {}
    for key in ("call_type", "narrative", "code", "priority"):
        value = data.get(key)
        if value is None:
            texts[key] = None
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            texts[key] = str(value)
        else:
            raise CallInputError(f"'{key}' must be text, got {type(value).__name__}")
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        raise CallInputError(f"'answers' must be an object of question_id: value, got {type(answers).__name__}")
    for qid, value in answers.items():
        if isinstance(value, (dict, list)):
            raise CallInputError(f"answer '{qid}' must be a single value, got {type(value).__name__}")
    return CallInput(
        id=str(ident),
        call_type=texts["call_type"] or "",
        narrative=texts["narrative"] or "",
        code=texts["code"],
        priority=texts["priority"],
        answers=answers,
    )


def read_call_lines(lines: Iterable[str]) -> Iterator[CallInput | LineError]:
    """A call or a :class:`LineError` for every non-blank line, in order."""
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LineError(lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        try:
            yield call_from_dict(data)
        except CallInputError as exc:
            yield LineError(lineno, str(exc))


def read_calls(text: str) -> list[CallInput]:
    """Every call of a JSON-lines text; raise CallInputError at the first bad line."""
    calls = []
    for item in read_call_lines(text.splitlines()):
        if isinstance(item, LineError):
            raise CallInputError(str(item))
        calls.append(item)
    return calls


@dataclass(frozen=True)
class Unmapped:
    call_types: Counter[str]
    codes: Counter[str]
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "call_types": [{"value": k, "count": v} for k, v in _ordered(self.call_types)],
            "codes": [{"value": k, "count": v} for k, v in _ordered(self.codes)],
        }


def _ordered(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def find_unmapped(text: str, mappings: CodeMappings, filename: str = "", column: str | None = None) -> Unmapped:
    """Call-type strings and codes of a JSON-lines or CSV text that no mapping covers.

    JSON lines use the triage input shape; a CSV needs a call-type column (``call_type``,
    ``Field 1`` as in the CAD taxonomy, ``type``..., or the one named by ``column``) and may
    have ``code`` and ``Count`` columns (a count weighs the row). Raise CallInputError when
    the text is neither.
    """
    stripped = text.lstrip("\ufeff").lstrip()
    if filename.lower().endswith((".jsonl", ".json", ".ndjson")) or stripped.startswith("{"):
        return _unmapped_jsonl(text, mappings)
    return _unmapped_csv(text.lstrip("\ufeff"), mappings, column)


def _unmapped_jsonl(text: str, mappings: CodeMappings) -> Unmapped:
    types: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    rows = 0
    for item in read_call_lines(text.splitlines()):
        if isinstance(item, LineError):
            raise CallInputError(str(item))
        rows += 1
        _count(item.call_type, item.code, 1, mappings, types, codes)
    return Unmapped(types, codes, rows)


def _unmapped_csv(text: str, mappings: CodeMappings, column: str | None = None) -> Unmapped:
    reader = csv.DictReader(io.StringIO(text))
    header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    columns = ", ".join(repr(h) for h in header.values() if h) or "none"
    if column is not None and column.strip().lower() not in header:
        raise CallInputError(f"no column {column!r}; columns are: {columns}")
    wanted = (column.strip().lower(),) if column is not None else CALL_TYPE_COLUMNS
    type_col = next((header[c] for c in wanted if c in header), None)
    code_col = next((header[c] for c in CODE_COLUMNS if c in header), None)
    count_col = next((header[c] for c in COUNT_COLUMNS if c in header), None)
    if type_col is None and code_col is None:
        raise CallInputError(
            f"no call-type or code column (looked for {', '.join(CALL_TYPE_COLUMNS + CODE_COLUMNS)}); "
            f"columns are: {columns}; name the call-type column with --column"
        )
    types: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    rows = 0
    for lineno, row in enumerate(reader, start=2):
        rows += 1
        weight = 1
        if count_col and (row.get(count_col) or "").strip():
            try:
                weight = int(float(str(row[count_col]).replace(",", "")))
            except ValueError:
                raise CallInputError(f"line {lineno}: count {row[count_col]!r} is not a number") from None
        _count(row.get(type_col) if type_col else None, row.get(code_col) if code_col else None, weight, mappings, types, codes)
    return Unmapped(types, codes, rows)


def _count(
    call_type: str | None, code: str | None, weight: int, mappings: CodeMappings, types: Counter[str], codes: Counter[str]
) -> None:
    if call_type and call_type.strip() and mappings.lookup_call_type(call_type) is None:
        types[call_type.strip()] += weight
    if code and code.strip() and mappings.lookup_code(code, call_type=call_type) is None:
        codes[code.strip()] += weight
