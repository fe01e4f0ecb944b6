"""What this CPU can do that inference should use."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def bf16_available() -> bool:
    """Whether this CPU computes in bfloat16 natively (otherwise autocast would be slower than float32)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags
