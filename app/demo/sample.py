"""Loading the team-written sample of Finnish, Swedish and other-language Reddit items.

The sample files carry annotations (language, level, planted fake personal data)
next to each item so that tests can check the pipeline against them; the server
serves only the Reddit-shaped part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.jsonl import read_jsonl_dir

SAMPLE_DIR = Path(__file__).with_name("sample")
REQUIRED_KEYS = {"id", "kind", "subreddit", "author", "title", "text", "parent", "age_minutes", "lang",
                 "level", "planted_pii", "tags"}


@dataclass(frozen=True)
class SampleItem:
    id: str
    kind: str  # "t3" or "t1"
    subreddit: str
    author: str
    title: str | None
    text: str
    parent: str | None
    age_minutes: int
    lang: str
    level: int | None
    planted_pii: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def fullname(self) -> str:
        return f"{self.kind}_{self.id}"


def parse_line(line: str, where: str) -> SampleItem:
    """One JSONL line to a :class:`SampleItem`, with an error that says which line is wrong."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: not JSON ({error.msg})") from None
    missing = REQUIRED_KEYS - raw.keys()
    if missing:
        raise ValueError(f"{where}: missing keys {sorted(missing)}")
    if raw["kind"] not in ("t3", "t1"):
        raise ValueError(f"{where}: kind must be t3 or t1")
    return SampleItem(
        id=raw["id"], kind=raw["kind"], subreddit=raw["subreddit"], author=raw["author"], title=raw["title"],
        text=raw["text"], parent=raw["parent"], age_minutes=int(raw["age_minutes"]), lang=raw["lang"],
        level=raw["level"], planted_pii=tuple(raw["planted_pii"]), tags=tuple(raw["tags"]),
    )


def load_sample(directory: Path = SAMPLE_DIR) -> list[SampleItem]:
    """Every item of every ``*.jsonl`` file in ``directory``."""
    return list(read_jsonl_dir(directory, parse_line))
