"""The classification head on pooled encoder output, and its training.

A linear layer over the mean-pooled embedding. Trained alone on cached embeddings it
is "a head on frozen embeddings"; trained together with the top encoder layers it is
partial fine-tuning. Classes are weighted by inverse frequency so that the rarer
crisis posts are not drowned by everyday chatter.
"""

from __future__ import annotations

import numpy as np
import torch

from core.levels import LEVEL_COUNT

#: Pooled embeddings are L2-normalised, then scaled so logits start in a useful range.
INPUT_SCALE = 10.0


def head_input(pooled: torch.Tensor) -> torch.Tensor:
    """What the head sees: the direction of the pooled embedding, at a fixed scale."""
    return pooled / pooled.norm(dim=-1, keepdim=True).clamp_min(1e-6) * INPUT_SCALE


def make_head(hidden: int) -> torch.nn.Linear:
    return torch.nn.Linear(hidden, LEVEL_COUNT)


def class_weights(labels: np.ndarray, classes: int = LEVEL_COUNT) -> torch.Tensor:
    counts = np.bincount(labels, minlength=classes).astype(np.float32)
    weights = counts.sum() / np.maximum(counts, 1.0) / classes
    return torch.from_numpy(weights)


def _fit(head: torch.nn.Linear, x: torch.Tensor, labels: np.ndarray, *, classes: int, epochs: int,
         learning_rate: float, weight_decay: float) -> torch.nn.Linear:
    """Full-batch Adam with classes weighted by inverse frequency (both heads train this way)."""
    y = torch.from_numpy(labels).long()
    loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights(labels, classes))
    optimiser = torch.optim.Adam(head.parameters(), lr=learning_rate, weight_decay=weight_decay)
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = loss_fn(head(x), y)
        loss.backward()
        optimiser.step()
    return head


def train_head_on_embeddings(embeddings: np.ndarray, labels: np.ndarray, *, epochs: int = 300,
                             learning_rate: float = 0.01, weight_decay: float = 1e-4,
                             seed: int = 0) -> torch.nn.Linear:
    """Full-batch Adam on cached embeddings: seconds on CPU, deterministic for a seed."""
    torch.manual_seed(seed)
    head = make_head(embeddings.shape[1])
    return _fit(head, head_input(torch.from_numpy(embeddings).float()), labels, classes=LEVEL_COUNT,
                epochs=epochs, learning_rate=learning_rate, weight_decay=weight_decay)


def head_logits(head: torch.nn.Linear, embeddings: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return head(head_input(torch.from_numpy(embeddings).float())).numpy()


#: Whose risk a post shows: the writer's own, someone else's in the thread, or nobody's.
WHOSE = ("self", "other", "none")


def whose_input(embeddings: np.ndarray, parents: np.ndarray) -> torch.Tensor:
    """The post and the post it answers (zeros when it answers nothing stored), side by side."""
    post = head_input(torch.from_numpy(embeddings).float())
    parent = torch.from_numpy(parents).float()
    has_parent = parent.abs().sum(dim=-1, keepdim=True) > 0
    return torch.cat([post, torch.where(has_parent, head_input(parent), torch.zeros_like(parent))], dim=-1)


def make_whose_head(hidden: int) -> torch.nn.Linear:
    return torch.nn.Linear(2 * hidden, len(WHOSE))


def train_whose_head(embeddings: np.ndarray, parents: np.ndarray, labels: np.ndarray, *, epochs: int = 300,
                     learning_rate: float = 0.01, weight_decay: float = 1e-4, seed: int = 0) -> torch.nn.Linear:
    """Full-batch Adam like the level head; classes weighted by inverse frequency."""
    torch.manual_seed(seed)
    head = make_whose_head(embeddings.shape[1])
    return _fit(head, whose_input(embeddings, parents), labels, classes=len(WHOSE), epochs=epochs,
                learning_rate=learning_rate, weight_decay=weight_decay)


def whose_probabilities(head: torch.nn.Linear, embeddings: np.ndarray, parents: np.ndarray) -> np.ndarray:
    with torch.inference_mode():
        return torch.softmax(head(whose_input(embeddings, parents)), dim=-1).numpy()
