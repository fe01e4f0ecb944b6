"""Partial fine-tuning: the top encoder layers and the head, trained together.

The lower layers (and the 96M-parameter word embeddings) stay frozen, so gradients
flow through only the top ``layers`` blocks: a CPU-affordable middle ground between a
head on frozen embeddings and full fine-tuning. Only the changed layers are saved (in
float16), beside the head, so a version stays a few megabytes.
"""

from __future__ import annotations

import random

import numpy as np
import torch
from tqdm import tqdm

from models.serving.encoder.embed import Encoder
from models.serving.head import class_weights, head_input


def top_layer_names(encoder: Encoder, layers: int) -> list[str]:
    total = encoder.model.config.num_hidden_layers
    prefixes = tuple(f"encoder.layer.{i}." for i in range(total - layers, total))
    return [name for name, _ in encoder.model.named_parameters() if name.startswith(prefixes)]


def finetune(encoder: Encoder, head: torch.nn.Linear, texts: list[str], labels: np.ndarray, *, layers: int = 2,
             epochs: int = 3, batch_size: int = 16, learning_rate: float = 5e-5, head_learning_rate: float = 1e-3,
             seed: int = 0) -> dict[str, torch.Tensor]:
    """Train in place; returns the fine-tuned layers' weights (float16) for the version's files."""
    random.seed(seed)
    torch.manual_seed(seed)
    trainable = set(top_layer_names(encoder, layers))
    parameters = dict(encoder.model.named_parameters())
    for name, parameter in parameters.items():
        parameter.requires_grad = name in trainable
    optimiser = torch.optim.AdamW([
        {"params": [parameters[name] for name in trainable], "lr": learning_rate},
        {"params": head.parameters(), "lr": head_learning_rate},
    ], weight_decay=0.01)
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights(labels))
    ids = [encoder.token_ids(text) for text in texts]
    target = torch.from_numpy(labels).long()
    encoder.model.train()
    for epoch in range(epochs):
        for batch in tqdm(_length_bucketed_batches(ids, batch_size), desc=f"fine-tune epoch {epoch + 1}",
                          leave=False):
            optimiser.zero_grad()
            logits = head(head_input(encoder.pooled([ids[i] for i in batch], grad=True)))
            loss_fn(logits, target[batch]).backward()
            optimiser.step()
    encoder.model.eval()
    for parameter in parameters.values():
        parameter.requires_grad = False
    return {name: parameters[name].detach().to(torch.float16).clone() for name in sorted(trainable)}


def _length_bucketed_batches(ids: list[list[int]], batch_size: int) -> list[list[int]]:
    """Shuffled batches of similar-length posts: less padding, still random order."""
    order = list(range(len(ids)))
    random.shuffle(order)
    pool = batch_size * 20
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: len(ids[i]))
        batches.extend(chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size))
    random.shuffle(batches)
    return batches
