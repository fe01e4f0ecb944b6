"""Reading folders of JSONL files with errors that name the file and line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def read_jsonl_dir(directory: Path, parse: Callable[[str, str], T]) -> Iterator[T]:
    """``parse(line, "file.jsonl:N")`` for every non-blank line of every ``*.jsonl`` file, in name order."""
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield parse(line, f"{path.name}:{number}")
