"""``majakka evaluate``: a version's test and validation figures next to both baselines."""

from __future__ import annotations

import json
from pathlib import Path

_COLUMNS = (("macro-F1", "macro_f1"), ("rec>=3", "recall_high"), ("prec>=3", "precision_high"),
            ("rec@4", "recall_crisis"), ("flag F1", "flag_f1"))


def format_report(metrics: dict, version: str) -> str:
    lines = [f"{version} (development data written by the team; not clinical validation)"]
    for split in ("validation", "test"):
        lines.append(f"\n{split}:")
        lines.append(f"  {'system':<14}{'subset':<7}{'n':>5}" + "".join(f"{title:>10}" for title, _ in _COLUMNS)
                     + f"{'ECE':>8}")
        for system, report in metrics[split].items():
            for subset, values in report.items():
                ece = f"{values['ece']:.3f}" if "ece" in values else "-"
                lines.append(f"  {system:<14}{subset:<7}{values['n']:>5}"
                             + "".join(f"{values[key]:>10.3f}" for _, key in _COLUMNS) + f"{ece:>8}")
    return "\n".join(lines)


def print_report(model_dir: Path) -> None:
    metrics = json.loads((model_dir / "metrics.json").read_text())
    print(format_report(metrics, model_dir.name))
