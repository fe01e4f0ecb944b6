"""JSONL in and out: folders of files, ``{"id", "text"}`` records, stdin/stdout streams.

The commands that read JSONL (``majakka redact``, ``majakka score``) answer every readable
line, in input order; a line that cannot be read becomes a one-line error record naming
it (not UTF-8, not JSON, nested too deeply, too long, not a record) and never stops the
others. Input is read in bounded pieces, so one enormous line costs memory only up to
the limit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO, TypeVar

T = TypeVar("T")
#: A JSONL line longer than this is answered with an error record instead of being parsed.
MAX_LINE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class TooLong:
    """Stands for an input line that was longer than the limit (its bytes were skipped)."""

    size: int
    limit: int = MAX_LINE_BYTES


def read_jsonl_dir(directory: Path, parse: Callable[[str, str], T]) -> Iterator[T]:
    """``parse(line, "file.jsonl:N")`` for every non-blank line of every ``*.jsonl`` file, in name order."""
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield parse(line, f"{path.name}:{number}")


def bounded_lines(stream: BinaryIO, max_bytes: int = MAX_LINE_BYTES) -> Iterator[bytes | TooLong]:
    """Raw lines of a byte stream; a line longer than ``max_bytes`` is skipped and stands as ``TooLong``."""
    while True:
        line = stream.readline(max_bytes + 2)  # room for the line end, "\r\n" included
        if not line:
            return
        if len(line.rstrip(b"\r\n")) <= max_bytes and (line.endswith(b"\n") or len(line) <= max_bytes):
            yield line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
            size += len(line)
        yield TooLong(size, max_bytes)


def text_records(lines: Iterable[str | bytes | TooLong]) -> Iterator[tuple[int, tuple[object, str] | str]]:
    """``(line number, (id, text))`` per non-blank ``{"id", "text"}`` line, or ``(number, error)``."""
    for number, line in enumerate(lines, start=1):
        if isinstance(line, TooLong):
            yield number, f"line too long ({line.size} bytes; at most {line.limit})"
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                yield number, "not UTF-8"
                continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"not JSON ({error.msg})"
            continue
        except RecursionError:
            yield number, "JSON nested too deeply"
            continue
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            yield number, 'expected an object with "id" and a string "text"'
            continue
        if not isinstance(record["id"], str | int) or isinstance(record["id"], bool):
            yield number, 'expected "id" to be a string or an integer'
            continue
        yield number, (record["id"], record["text"])


def dumps(record: dict) -> str:
    """One output line; text that cannot be written as UTF-8 (a lone surrogate in an id) is escaped."""
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record, ensure_ascii=True)
    return line


@contextmanager
def jsonl_streams(input_path: str, output_path: str) -> Iterator[tuple[BinaryIO, TextIO]]:
    """Input (bytes) and output (text) files, with ``-`` meaning stdin/stdout (which are left open)."""
    source = open(input_path, "rb") if input_path != "-" else sys.stdin.buffer  # noqa: SIM115
    out = open(output_path, "w", encoding="utf-8") if output_path != "-" else sys.stdout  # noqa: SIM115
    try:
        yield source, out
    finally:
        if source is not sys.stdin.buffer:
            source.close()
        if out is not sys.stdout:
            out.close()
