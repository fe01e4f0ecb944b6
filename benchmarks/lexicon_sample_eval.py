"""Quality of the lexicon baseline on the bundled demo sample (development data, not clinical validation).

The lexicon was written without reading the sample, so the sample acts as held-out data
for it. Scores the raw sample text after the same privacy filter the pipeline applies.
Run: ``.venv/bin/python benchmarks/lexicon_sample_eval.py``
"""

from __future__ import annotations

from collections import defaultdict

from sklearn.metrics import classification_report, f1_score, recall_score

from app.demo.sample import load_sample
from models.serving.lexicon.baseline import LexiconScorer
from privacy.redaction import PrivacyFilter


def main() -> None:
    items = [i for i in load_sample() if i.lang in ("fi", "sv") and i.level is not None]
    privacy, scorer = PrivacyFilter(), LexiconScorer()
    texts = [privacy.redact(f"{i.title}\n\n{i.text}" if i.title else i.text, i.lang).text for i in items]
    predicted = [int(s.level) for s in scorer.score_batch(texts, [i.lang for i in items])]
    gold = [i.level for i in items]
    by_lang: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for item, g, p in zip(items, gold, predicted, strict=True):
        by_lang[item.lang][0].append(g)
        by_lang[item.lang][1].append(p)
    print(f"lexicon {scorer.version} on {len(items)} annotated sample items (app/demo/sample/*.jsonl)\n")
    print(classification_report(gold, predicted, labels=[0, 1, 2, 3, 4], digits=3, zero_division=0))
    for name, (g, p) in [("all", (gold, predicted)), *sorted(by_lang.items())]:
        high = recall_score([x >= 3 for x in g], [x >= 3 for x in p], zero_division=0)
        crisis = recall_score([x == 4 for x in g], [x == 4 for x in p], zero_division=0)
        flag = f1_score([x >= 2 for x in g], [x >= 2 for x in p], zero_division=0)
        macro = f1_score(g, p, labels=[0, 1, 2, 3, 4], average="macro", zero_division=0)
        print(f"{name:>4}: n={len(g):3d}  macro-F1={macro:.3f}  recall@>=3={high:.3f}  "
              f"recall@4={crisis:.3f}  flag(>=2) F1={flag:.3f}")


if __name__ == "__main__":
    main()
