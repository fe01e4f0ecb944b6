"""A trained model version on disk: small files only, the base encoder is referenced.

```
<version>/
  model.json         label2id/id2label, encoder name, max length, temperature, decision rule, training data
  head.safetensors   the linear head (+ any fine-tuned encoder layers)
  metrics.json       evaluation on validation and test, baselines included
  model_card.md      generated from the above
  *.png              confusion matrix and reliability diagram
```
The converted base encoder (~470 MB) is regenerated at setup and never copied here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from core.levels import RiskLevel
from models.serving.decision import DecisionRule

ENCODER_NAME = "multilingual-e5-small"
HEAD_PREFIX = "head."
WHOSE_PREFIX = "whose."


@dataclass(frozen=True)
class ModelSpec:
    version: str
    encoder: str
    max_length: int
    temperature: float
    rule: DecisionRule
    training_data: dict = field(default_factory=dict)

    @property
    def id2label(self) -> dict[int, str]:
        return {int(level): level.label for level in RiskLevel}


def save(directory: Path, spec: ModelSpec, head: torch.nn.Linear,
         encoder_layers: dict[str, torch.Tensor] | None = None, whose_head: torch.nn.Linear | None = None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tensors = {HEAD_PREFIX + name: value.detach().contiguous() for name, value in head.state_dict().items()}
    if whose_head is not None:
        tensors.update({WHOSE_PREFIX + name: value.detach().contiguous()
                        for name, value in whose_head.state_dict().items()})
    tensors.update({name: value.detach().contiguous() for name, value in (encoder_layers or {}).items()})
    save_file(tensors, str(directory / "head.safetensors"))
    payload = {**asdict(spec), "rule": spec.rule.as_dict(),
               "id2label": spec.id2label, "label2id": {v: k for k, v in spec.id2label.items()}}
    (directory / "model.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))


def load_spec(directory: Path) -> ModelSpec:
    raw = json.loads((directory / "model.json").read_text())
    return ModelSpec(raw["version"], raw["encoder"], raw["max_length"], raw["temperature"],
                     DecisionRule.from_dict(raw["rule"]), raw.get("training_data", {}))


@dataclass(frozen=True)
class LoadedModel:
    spec: ModelSpec
    head: torch.nn.Linear
    #: fine-tuned encoder weights by parameter name (empty: the base encoder as converted)
    layers: dict[str, torch.Tensor]
    #: the whose-risk head, for versions trained with one
    whose_head: torch.nn.Linear | None


def load(directory: Path) -> LoadedModel:
    from models.serving.head import make_head, make_whose_head

    spec = load_spec(directory)
    tensors = load_file(str(directory / "head.safetensors"))
    head_state = {k[len(HEAD_PREFIX):]: v for k, v in tensors.items() if k.startswith(HEAD_PREFIX)}
    head = make_head(head_state["weight"].shape[1])
    head.load_state_dict(head_state)
    whose_state = {k[len(WHOSE_PREFIX):]: v for k, v in tensors.items() if k.startswith(WHOSE_PREFIX)}
    whose_head = None
    if whose_state:
        whose_head = make_whose_head(head_state["weight"].shape[1])
        whose_head.load_state_dict(whose_state)
        whose_head.eval()
    layers = {k: v for k, v in tensors.items() if not k.startswith((HEAD_PREFIX, WHOSE_PREFIX))}
    return LoadedModel(spec, head.eval(), layers, whose_head)
