"""The name tagger: person, place and organisation names in Finnish and Swedish text.

A token classifier on the lower layers of multilingual-e5-small, fine-tuned here on the
real annotated corpora (``privacy/ner/training.py``). One model serves both languages.
Only the fine-tuned layers and the classification head are stored with the code
(``privacy/ner/model/``, float16); the base encoder is the one converted at setup into
the model cache, so nothing is downloaded.

Why a transformer and only its lower layers: names are recognised from context ("X
sanoi", "näyttelijä X", inflected forms, names no lexicon knows) that pattern and
lexicon recognizers miss, while the lower six of the twelve layers carry most of what
names need and run twice as fast. Inference runs in bfloat16 where the CPU has it.

Long texts are read in overlapping windows; every character span a label covers is
widened to whole words, so an inflected name is never half-redacted.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch

from core.cpu import bf16_available

MODEL_DIR = Path(__file__).with_name("model")
WEIGHTS = "tagger.safetensors"
CONFIG = "tagger.json"
LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
_B_PER, _I_PER = LABELS.index("B-PER"), LABELS.index("I-PER")
#: Words that are e-mail addresses, links or handles: their own recognizers replace them whole.
_STRUCTURED = re.compile(r"@|://|^www\.|^/?[ur]/")
#: Subword tokens per window (specials excluded) and how far windows step; the overlap
#: gives every token a window in which it has context on both sides.
WINDOW, STRIDE = 254, 192


@dataclass(frozen=True)
class TaggedSpan:
    """A possible person name: its type (``PER``), character offsets, and the probability it is a name."""

    type: str
    start: int
    end: int
    score: float


class NameTagger(torch.nn.Module):
    """Encoder layers + a linear layer over every subword token."""

    def __init__(self, encoder_dir: Path, layers: int) -> None:
        super().__init__()
        from transformers import AutoModel, AutoTokenizer
        from transformers import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        self.tokenizer = AutoTokenizer.from_pretrained(encoder_dir)
        self.encoder = AutoModel.from_pretrained(encoder_dir, add_pooling_layer=False)
        self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
        self.encoder.config.num_hidden_layers = layers
        self.classifier = torch.nn.Linear(self.encoder.config.hidden_size, len(LABELS))
        self.layers = layers

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.classifier(hidden)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """What fine-tuning changed: the encoder layers and the classifier (embeddings stay frozen)."""
        return {name: value for name, value in self.state_dict().items() if not name.startswith("encoder.embeddings")}


def operating_threshold(model_dir: Path = MODEL_DIR) -> float:
    """The person-probability threshold recorded with the model (0.5 if none was chosen)."""
    return float(json.loads((model_dir / CONFIG).read_text()).get("person_threshold", 0.5))


def load(model_dir: Path = MODEL_DIR, encoder_dir: Path | None = None) -> NameTagger:
    """The shipped (or a given) tagger on top of the converted base encoder."""
    from safetensors.torch import load_file

    from core.config import model_cache

    spec = json.loads((model_dir / CONFIG).read_text())
    model = NameTagger(encoder_dir or model_cache() / spec["encoder"], spec["layers"])
    state = {name: value.float() for name, value in load_file(str(model_dir / WEIGHTS)).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or any(not name.startswith("encoder.embeddings") for name in missing):
        raise ValueError(f"{model_dir}: weights do not fit the tagger ({unexpected[:2]} {missing[:2]})")
    return model.eval()


def windows(length: int) -> list[tuple[int, int]]:
    """(start, end) token windows covering ``length`` tokens with overlap."""
    if length <= WINDOW:
        return [(0, length)]
    starts = [*range(0, length - WINDOW, STRIDE), length - WINDOW]
    return [(start, start + WINDOW) for start in starts]


def _owner(index: int, spans: list[tuple[int, int]]) -> int:
    """The window in which token ``index`` sits farthest from an edge."""
    return max(range(len(spans)), key=lambda w: min(index - spans[w][0], spans[w][1] - 1 - index)
               if spans[w][0] <= index < spans[w][1] else -1)


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """A span widened to whole words (letters, digits, hyphens, apostrophes and colons inside a word)."""
    def inside(char: str) -> bool:
        return char.isalnum() or char in "-'’:"

    while start > 0 and inside(text[start - 1]) and inside(text[start]):
        start -= 1
    while end < len(text) and inside(text[end]) and inside(text[end - 1]):
        end += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


class Tagger:
    """Thread-safe batched tagging with the loaded model (one per process).

    ``threshold`` is the operating point: the person probability from which a span counts as a
    name, chosen when the model was trained (the recall target on development splits).
    """

    def __init__(self, model: NameTagger, *, threshold: float = 0.5, batch_size: int = 16,
                 bf16: bool | None = None) -> None:
        self.model = model
        self.threshold = threshold
        self.batch_size = batch_size
        self.bf16 = bf16_available() if bf16 is None else bf16
        self._lock = threading.Lock()

    def policy_score(self, probability: float) -> float:
        """A probability on the privacy policy's 0-1 scale, where the operating threshold becomes 0.5."""
        if probability >= self.threshold:
            return round(0.5 + 0.5 * (probability - self.threshold) / (1 - self.threshold), 4)
        return round(0.5 * probability / self.threshold, 4)

    def tag(self, texts: Sequence[str], minimum: float | None = None) -> list[list[TaggedSpan]]:
        """Person names in each text: spans of words whose name probability reaches ``minimum``
        (default: the operating threshold), as character offsets of that text."""
        floor = self.threshold if minimum is None else minimum
        return [name_spans(text, words, floor) for text, words in zip(texts, self.words(texts), strict=True)]

    def words(self, texts: Sequence[str]) -> list[list[Word]]:
        """Every word of each text with its probability of being (part of) a person's name."""
        if not texts:
            return []
        tokenizer = self.model.tokenizer
        encoded = tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True)
        pieces: list[tuple[int, tuple[int, int]]] = []  # (text index, token window)
        for index, ids in enumerate(encoded["input_ids"]):
            pieces += [(index, span) for span in windows(len(ids))] if ids else []
        person: dict[tuple[int, tuple[int, int]], list[float]] = {}
        order = sorted(pieces, key=lambda piece: piece[1][1] - piece[1][0])
        for first in range(0, len(order), self.batch_size):
            batch = order[first:first + self.batch_size]
            rows = [[tokenizer.bos_token_id, *encoded["input_ids"][i][s:e], tokenizer.eos_token_id]
                    for i, (s, e) in batch]
            width = max(len(row) for row in rows)
            ids = torch.tensor([row + [tokenizer.pad_token_id] * (width - len(row)) for row in rows])
            mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in rows])
            with self._lock, torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16,
                                                                    enabled=self.bf16):
                probabilities = torch.softmax(self.model(ids, mask).float(), dim=-1)
            names = (probabilities[..., _B_PER] + probabilities[..., _I_PER]).tolist()
            for row, piece in enumerate(batch):
                person[piece] = names[row][1:piece[1][1] - piece[1][0] + 1]
        results = []
        for index, text in enumerate(texts):
            own = [piece[1] for piece in pieces if piece[0] == index]
            token_person = []
            for token in range(len(encoded["input_ids"][index])):
                window = own[_owner(token, own)]
                token_person.append(person[(index, window)][token - window[0]])
            results.append(_words(text, encoded["offset_mapping"][index], token_person))
        return results


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    person: float


def _words(text: str, offsets: Sequence[tuple[int, int]], token_person: Sequence[float]) -> list[Word]:
    """Subword pieces joined into words; a word's name probability is its likeliest piece's."""
    words: list[list] = []  # [start, end, probability]
    for (start, end), person in zip(offsets, token_person, strict=True):
        while start < end and text[start].isspace():  # a piece's offsets include the space before it
            start += 1
        if start == end:
            continue
        if words and start == words[-1][1] and not text[start - 1].isspace():
            words[-1][1] = end
            words[-1][2] = max(words[-1][2], person)
        else:
            words.append([start, end, person])
    return [Word(start, end, 0.0 if _STRUCTURED.search(text[start:end]) or not any(c.isalnum() for c in
                                                                                       text[start:end]) else person)
            for start, end, person in words]


def name_spans(text: str, words: Sequence[Word], minimum: float) -> list[TaggedSpan]:
    """Adjacent words at or above ``minimum`` form one span ("Matti Virtanen"), scored by its likeliest word.

    Deciding on the probability rather than the likeliest label keeps a name the tagger half took
    for a place or an organisation ("Hypatialle": LOC 0.6, PER 0.3).
    """
    spans: list[list] = []
    for word in words:
        if word.person < minimum:
            continue
        if spans and not text[spans[-1][1]:word.start].strip():
            spans[-1][1], spans[-1][2] = word.end, max(spans[-1][2], word.person)
        else:
            spans.append([word.start, word.end, word.person])
    widened = [(*_widen(text, start, end), person) for start, end, person in spans]
    return [TaggedSpan("PER", start, end, round(person, 4)) for start, end, person in widened if end > start]
