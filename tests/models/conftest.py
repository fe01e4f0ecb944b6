"""A tiny random encoder (real tokenizer, 2 small layers) so training tests run in seconds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app import components


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> Path:
    import torch
    from transformers import BertConfig, BertModel

    real = components.encoder_dir()
    out = tmp_path_factory.mktemp("tiny-encoder")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(real / name, out / name)
    vocab = json.loads((real / "config.json").read_text())["vocab_size"]
    torch.manual_seed(0)
    config = BertConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=512)
    BertModel(config, add_pooling_layer=False).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory, sample_items) -> Path:
    """The annotated demo sample as a training set (groups = threads)."""
    out = tmp_path_factory.mktemp("dataset")
    with open(out / "sample.jsonl", "w", encoding="utf-8") as handle:
        for item in sample_items:
            if item.level is None or item.lang not in ("fi", "sv"):
                continue
            text = f"{item.title}\n{item.text}" if item.title else item.text
            handle.write(json.dumps({"id": item.id, "text": text, "lang": item.lang, "level": item.level,
                                     "group": item.parent or item.id}, ensure_ascii=False) + "\n")
    return out
