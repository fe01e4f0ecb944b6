"""How a model version is trained: :class:`TrainConfig`, kept free of heavy imports.

The field help is the one description of each setting: ``majakka train --help`` prints it,
and a JSON file given with ``--config`` may set any of these fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from models.training.data import DEV_DATA_DIR


@dataclass
class TrainConfig:
    """How a model version is trained. Every field has a default; JSON files override some."""

    encoder_dir: str = field(default="", metadata={"help": "converted encoder (default: the model cache)"})
    data_dir: str = field(default=str(DEV_DATA_DIR), metadata={"help": "directory of *.jsonl examples"})
    output_root: str = field(default="", metadata={"help": "where versions are written (default: registry dir)"})
    version: str = field(default="", metadata={"help": "version name (default: e5head-<UTC timestamp>)"})
    max_length: int = field(default=256, metadata={"help": "tokens per post incl. specials (head+tail kept)"})
    epochs: int = field(default=400, metadata={"help": "full-batch epochs of the head"})
    learning_rate: float = field(default=0.01, metadata={"help": "Adam learning rate of the head"})
    weight_decay: float = field(default=1e-4, metadata={"help": "L2 penalty of the head"})
    finetune_layers: int = field(default=0, metadata={"help": "top encoder layers to fine-tune (0: head only)"})
    finetune_epochs: int = field(default=3, metadata={"help": "epochs of partial fine-tuning"})
    finetune_learning_rate: float = field(default=5e-5, metadata={"help": "learning rate of the encoder layers"})
    recall_target_high: float = field(default=0.95, metadata={"help": "validation recall target, levels >= 3"})
    recall_target_flag: float = field(default=0.90, metadata={"help": "validation recall target, levels >= 2"})
    recall_target_crisis: float = field(default=0.85, metadata={"help": "validation recall target, level 4"})
    real_everyday_per_language: int = field(
        default=0, metadata={"help": "silver everyday examples per language from ../shared/data/real (0: none)"})
    whose_head: bool = field(default=True, metadata={"help": "train the whose-risk head (self/other/none)"})
    seed: int = field(default=0, metadata={"help": "seed for splits, torch and numpy"})
    max_train_samples: int = field(default=0, metadata={"help": "cap on training examples (0: all), smoke runs"})

    @classmethod
    def from_json(cls, path: Path) -> TrainConfig:
        raw = json.loads(path.read_text())
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"{path.name}: unknown settings {unknown}")
        return cls(**raw)


def describe_fields() -> str:
    """One line per setting, ``name (default): help``, for command-line help."""
    return "\n".join(f"  {f.name} ({f.default!r}): {f.metadata['help']}" for f in fields(TrainConfig))
