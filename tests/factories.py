"""Small builders for test data."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.demo.sample import SampleItem
from models.lifecycle import registry


def make_item(item_id: str, text: str, *, kind: str = "t3", subreddit: str = "Suomi", author: str = "tester_1",
              age_minutes: int = 10, parent: str | None = None, title: str | None = None,
              lang: str = "fi", level: int | None = None) -> SampleItem:
    """A hand-made sample item for one test."""
    return SampleItem(id=item_id, kind=kind, subreddit=subreddit, author=author,
                      title=(title if title is not None else ("" if kind == "t3" else None)), text=text,
                      parent=parent, age_minutes=age_minutes, lang=lang, level=level, planted_pii=(), tags=())


def shipped_model_twin(parent: Path, name: str) -> Path:
    """A copy of the shipped model under another version name: same weights, so identical scores."""
    shipped = registry.shipped_versions()[-1]
    twin = parent / name
    shutil.copytree(shipped, twin)
    (twin / "model.json").write_text((twin / "model.json").read_text().replace(shipped.name, name))
    return twin


def shipped_first_stage():
    """The newest first stage committed with the code (what a fresh database activates)."""
    from app import components

    return components.load_first_stage(str(registry.shipped_versions(kind=registry.KIND_FIRST_STAGE)[-1]))
