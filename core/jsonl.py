"""JSONL in and out: folders of files, ``{"id", "text"}`` records, stdin/stdout streams."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")


def read_jsonl_dir(directory: Path, parse: Callable[[str, str], T]) -> Iterator[T]:
    """``parse(line, "file.jsonl:N")`` for every non-blank line of every ``*.jsonl`` file, in name order."""
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield parse(line, f"{path.name}:{number}")


def text_records(lines: Iterable[str]) -> Iterator[tuple[int, tuple[object, str] | str]]:
    """``(line number, (id, text))`` per non-blank ``{"id", "text"}`` line, or ``(number, error)``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"not JSON ({error.msg})"
            continue
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            yield number, 'expected an object with "id" and a string "text"'
            continue
        yield number, (record["id"], record["text"])


@contextmanager
def jsonl_streams(input_path: str, output_path: str) -> Iterator[tuple[TextIO, TextIO]]:
    """Input and output files, with ``-`` meaning stdin/stdout (which are left open)."""
    source = open(input_path, encoding="utf-8") if input_path != "-" else sys.stdin  # noqa: SIM115
    out = open(output_path, "w", encoding="utf-8") if output_path != "-" else sys.stdout  # noqa: SIM115
    try:
        yield source, out
    finally:
        for handle in (source, out):
            if handle not in (sys.stdin, sys.stdout):
                handle.close()
