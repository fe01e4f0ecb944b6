"""Fine-tuning the name tagger on the real annotated corpora that allow it.

Training data: the training splits of the CC BY / CC BY-SA corpora only (``trainable``
in ``privacy.ner.corpora``): Turku NER (fi), the Swedish NER corpus minus a held-out
seventh, UNER Talbanken (sv). Development and test splits and every non-commercial file
stay out: they measure the result.

Those corpora are edited text (news, Wikipedia, prose). Posts are not: names come in
lower case, beside emoji, handles and links. So a share of the training sentences is
rewritten the way people write online, labels moved along: all lower case, a handle or
an emoji next to the text, the sentence's first letter lower-cased.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from privacy.ner import corpora
from privacy.ner.corpora import Entity, Sentence
from privacy.ner.tagger import CONFIG, LABELS, WEIGHTS, NameTagger, Tagger, name_spans

log = logging.getLogger(__name__)
#: Candidate operating thresholds, most to least strict.
THRESHOLDS = (0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03, 0.02)
EMOJI = ("😂", "😭", "🙏", "❤️", "😔", "👍", "🤔", "😅", "💀", "🥺")
HANDLES = ("@kaveri", "@vesa_88", "u/ajatuksia", "@lisa.k", "#mielenterveys", "#måndag")


@dataclass
class NameTrainConfig:
    """How the name tagger is trained; recorded with the weights."""

    encoder: str = field(default="multilingual-e5-small", metadata={"help": "converted base encoder in the cache"})
    layers: int = field(default=6, metadata={"help": "lower encoder layers kept and fine-tuned"})
    epochs: int = field(default=3, metadata={"help": "passes over the training sentences"})
    batch_size: int = field(default=16, metadata={"help": "sentences per step"})
    learning_rate: float = field(default=6e-5, metadata={"help": "AdamW learning rate of the encoder layers"})
    head_learning_rate: float = field(default=1e-3, metadata={"help": "AdamW learning rate of the classifier"})
    max_tokens: int = field(default=160, metadata={"help": "subword tokens per training sentence (longer: cut)"})
    informal_share: float = field(default=0.3, metadata={"help": "share of sentences rewritten as informal"})
    seed: int = field(default=0, metadata={"help": "seed for shuffling and rewriting"})
    max_sentences: int = field(default=0, metadata={"help": "cap per corpus (0: all), for smoke runs"})


def training_sentences(config: NameTrainConfig) -> list[Sentence]:
    sentences: list[Sentence] = []
    for corpus in corpora.CORPORA:
        if corpus.trainable:
            train, _ = corpora.split(corpus)
            sentences += train[:config.max_sentences] if config.max_sentences else train
    return sentences


def informal(sentence: Sentence, rng: random.Random) -> Sentence:
    """The sentence as it might be posted: one of lower case, a first letter in lower case, a handle or emoji."""
    choice = rng.random()
    text, entities = sentence.text, list(sentence.entities)
    if choice < 0.4 and len(text.lower()) == len(text):
        text = text.lower()
    elif choice < 0.6:
        text = text[:1].lower() + text[1:]
    else:
        extra = rng.choice(EMOJI if choice < 0.8 else HANDLES)
        if rng.random() < 0.5:
            text = f"{text} {extra}"
        else:
            text = f"{extra} {text}"
            entities = [Entity(e.type, e.start + len(extra) + 1, e.end + len(extra) + 1) for e in entities]
    return Sentence(text, tuple(entities), sentence.corpus)


def token_labels(sentence: Sentence, offsets: Sequence[tuple[int, int]]) -> list[int]:
    """A BIO label id per subword token: B on the first token of an entity, I on the rest."""
    labels = []
    for start, end in offsets:
        while start < end and sentence.text[start].isspace():
            start += 1
        entity = next((e for e in sentence.entities if e.start <= start < e.end), None)
        if entity is None or start == end:
            labels.append(LABELS.index("O"))
            continue
        first = start <= entity.start
        labels.append(LABELS.index(f"{'B' if first else 'I'}-{entity.type}"))
    return labels


def _batches(items: list, size: int, rng: random.Random) -> list[list]:
    rng.shuffle(items)
    # sort within chunks of 50 batches by length, so a batch pads little
    chunks = [sorted(items[i:i + size * 50], key=lambda item: len(item[0])) for i in range(0, len(items), size * 50)]
    batches = [chunk[i:i + size] for chunk in chunks for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def train(config: NameTrainConfig, output: Path, encoder_dir: Path) -> Path:
    """Fine-tune and write ``output/tagger.safetensors`` (float16) and ``output/tagger.json``."""
    from safetensors.torch import save_file

    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    model = NameTagger(encoder_dir, config.layers)
    for parameter in model.encoder.embeddings.parameters():
        parameter.requires_grad = False
    sentences = training_sentences(config)
    rewritten = [informal(s, rng) if rng.random() < config.informal_share else s for s in sentences]
    tokenizer = model.tokenizer
    encoded = tokenizer([s.text for s in rewritten], add_special_tokens=False, return_offsets_mapping=True,
                        truncation=True, max_length=config.max_tokens)
    examples = [
        ([tokenizer.bos_token_id, *ids, tokenizer.eos_token_id], [-100, *token_labels(s, offsets), -100])
        for s, ids, offsets in zip(rewritten, encoded["input_ids"], encoded["offset_mapping"], strict=True)
    ]
    optimizer = torch.optim.AdamW([
        {"params": [p for p in model.encoder.parameters() if p.requires_grad], "lr": config.learning_rate},
        {"params": model.classifier.parameters(), "lr": config.head_learning_rate},
    ], weight_decay=0.01)
    steps = config.epochs * -(-len(examples) // config.batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / (0.06 * steps)) * max(0.0, 1 - step / steps))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    model.train()
    started = time.monotonic()
    for epoch in range(config.epochs):
        total = 0.0
        batches = _batches(examples, config.batch_size, rng)
        for number, batch in enumerate(batches, start=1):
            width = max(len(ids) for ids, _ in batch)
            ids = torch.tensor([ids + [tokenizer.pad_token_id] * (width - len(ids)) for ids, _ in batch])
            mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids, _ in batch])
            labels = torch.tensor([labels + [-100] * (width - len(labels)) for _, labels in batch])
            logits = model(ids, mask)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += float(loss.detach())
            if number % 100 == 0:
                log.info("epoch %d step %d/%d loss %.4f (%.0f s)", epoch + 1, number, len(batches), total / number,
                         time.monotonic() - started)
    model.eval()
    output.mkdir(parents=True, exist_ok=True)
    save_file({name: value.detach().half().contiguous() for name, value in model.trained_state().items()},
              str(output / WEIGHTS))
    (output / CONFIG).write_text(json.dumps({
        "encoder": config.encoder, "layers": config.layers, "labels": list(LABELS),
        "config": asdict(config), "training_sentences": len(examples),
        "training_corpora": sorted({s.corpus for s in sentences}),
        "training_seconds": round(time.monotonic() - started),
    }, indent=2))
    return output


def evaluate(tagger: Tagger, sentences: Sequence[Sentence], threshold: float) -> dict[str, float]:
    """Person-name recall and precision at ``threshold``: a gold name counts as found when a span overlaps it."""
    return _tally(tagger.tag([s.text for s in sentences], minimum=threshold), sentences)


def _tally(predicted: Sequence[Sequence], sentences: Sequence[Sentence]) -> dict[str, float]:
    gold_total = found = predicted_total = correct = 0
    for sentence, spans in zip(sentences, predicted, strict=True):
        gold = sentence.spans("PER")
        gold_total += len(gold)
        found += sum(any(p.start < g.end and g.start < p.end for p in spans) for g in gold)
        predicted_total += len(spans)
        correct += sum(any(p.start < g.end and g.start < p.end for g in gold) for p in spans)
    return {"names": gold_total, "recall": found / gold_total if gold_total else 1.0,
            "precision": correct / predicted_total if predicted_total else 1.0}


def choose_threshold(tagger: Tagger, sentences: Sequence[Sentence], *, recall: float = 0.95) -> tuple[float, dict]:
    """The highest probability threshold that still finds ``recall`` of the names in ``sentences``."""
    words = tagger.words([s.text for s in sentences])
    figures: dict = {}
    for threshold in THRESHOLDS:
        spans = [name_spans(s.text, w, threshold) for s, w in zip(sentences, words, strict=True)]
        figures = _tally(spans, sentences)
        if figures["recall"] >= recall:
            return threshold, figures
    return THRESHOLDS[-1], figures


#: Where the operating threshold is chosen: the development splits of one corpus per language.
TUNING_FILES = ("turku-ner/dev", "swedish-ner/train")


def calibrate(model_dir: Path, *, recall: float = 0.95) -> dict:
    """Choose the operating threshold on the tuning files, measure every evaluation file at it, and record
    both in ``tagger.json``; returns what was recorded."""
    from privacy.ner.tagger import load

    tagger = Tagger(load(model_dir))
    tuning = [s for name in TUNING_FILES for s in corpora.split(corpora.corpus(name))[1]]
    threshold, tuned = choose_threshold(tagger, tuning, recall=recall)
    evaluation = {}
    for corpus in corpora.CORPORA:
        held_out = corpora.split(corpus)[1]
        if held_out:
            evaluation[corpus.name] = {**evaluate(tagger, held_out, threshold), "licence": corpus.licence,
                                       "used_to_choose_threshold": corpus.name in TUNING_FILES}
    spec = json.loads((model_dir / CONFIG).read_text())
    spec.update({"person_threshold": threshold, "recall_target": recall, "tuned_on": list(TUNING_FILES),
                 "tuning_figures": tuned, "evaluation": evaluation})
    (model_dir / CONFIG).write_text(json.dumps(spec, indent=2, ensure_ascii=False))
    return spec
