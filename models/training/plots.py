"""Confusion matrix and reliability diagram as PNG files for the model card."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from core.levels import RiskLevel

LABELS = [level.label for level in RiskLevel]


def confusion_png(matrix: list[list[int]], path: Path, title: str) -> None:
    data = np.asarray(matrix)
    figure, axes = plt.subplots(figsize=(5, 4.2))
    axes.imshow(data, cmap="Blues")
    axes.set_xticks(range(len(LABELS)), LABELS, rotation=30)
    axes.set_yticks(range(len(LABELS)), LABELS)
    axes.set_xlabel("predicted")
    axes.set_ylabel("annotated")
    axes.set_title(title)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            axes.text(j, i, str(data[i, j]), ha="center", va="center",
                      color="white" if data[i, j] > data.max() / 2 else "black")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def reliability_png(probabilities: np.ndarray, labels: np.ndarray, path: Path, title: str, bins: int = 10) -> None:
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    centres, accuracy = [], []
    for low, high in pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            centres.append(confidence[inside].mean())
            accuracy.append(correct[inside].mean())
    figure, axes = plt.subplots(figsize=(4.5, 4.2))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    axes.plot(centres, accuracy, marker="o", label="model")
    axes.set_xlabel("confidence of the top level")
    axes.set_ylabel("accuracy")
    axes.set_title(title)
    axes.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
