"""Streaming CLIs: ``majakka score`` and ``majakka redact`` in bounded memory, whatever the input size.

Each command runs as its own process on a small JSONL input and on the same posts repeated ten
times, so the two differ in size only, not in what the posts are like (REAL everyday text from
the evaluation half of the shared corpora when ``../shared`` is here, else the team-written demo
sample). For each run the script prints its peak resident memory (from the process's own
resource usage), when its first result line appeared, and its rate. Memory that grew with the
input would show as a large-to-small ratio well above 1.

    PYTHONPATH=. .venv/bin/python benchmarks/streaming_memory.py [--lines 300]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.demo.sample import load_sample
from collect import corpora
from core.config import secrets_file
from core.db import embedded
from core.secrets_file import write as secrets_file_write

COMMANDS = {"score": ["score"], "redact": ["redact"]}


def posts() -> tuple[str, list[str]]:
    if corpora.available():
        from models.training.real_text import evaluation_everyday

        return "REAL everyday text (evaluation half)", [text for _, text, _ in evaluation_everyday(400)]
    return "team-written demo sample", [item.text for item in load_sample() if item.text]


def write_input(path: Path, texts: list[str], count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for index, text in zip(range(count), itertools.cycle(texts), strict=False):
            handle.write(json.dumps({"id": str(index), "text": text}, ensure_ascii=False) + "\n")


def measure(command: list[str], source: Path, output: Path) -> dict[str, float]:
    """Run one command to completion: peak RSS (MiB), seconds to the first output line, seconds in all."""
    majakka = Path(sys.executable).with_name("majakka")
    started = time.perf_counter()
    process = subprocess.Popen([str(majakka), *command, str(source), "-o", str(output)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_line = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if first_line is None and output.exists() and output.stat().st_size > 0:
            first_line = time.perf_counter() - started
        if pid:
            break
        time.sleep(0.05)
    total = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: some lines carried an error record
        raise RuntimeError(f"majakka {' '.join(command)} failed")
    return {"peak_mib": usage.ru_maxrss / 1024, "first_line_s": first_line or total, "total_s": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300, help="lines of the small input (the large one has 10x)")
    args = parser.parse_args()
    data, texts = posts()
    print(f"Inputs: {args.lines} posts of {data}, and the same posts ten times ({args.lines * 10} lines)\n")
    print(f"{'command':<8} {'lines':>6} {'peak MiB':>9} {'first line':>11} {'total':>8} {'lines/s':>8}")
    with tempfile.TemporaryDirectory() as work:
        home = Path(work) / "home"  # its own secrets and embedded database (the registry says what scores)
        os.environ["MAJAKKA_HOME"] = str(home)
        secrets_file_write(secrets_file())
        try:
            run_all(Path(work), texts, args.lines)
        finally:
            embedded.stop(home)


def run_all(work: Path, texts: list[str], lines: int) -> None:
    """Each command on the small and the large input, one process per run."""
    for name, command in COMMANDS.items():
        peaks = []
        for count in (lines, lines * 10):
            source, output = work / f"in-{count}.jsonl", work / f"{name}-{count}.jsonl"
            write_input(source, texts[:lines], count)
            result = measure(command, source, output)
            peaks.append(result["peak_mib"])
            print(f"{name:<8} {count:>6} {result['peak_mib']:>9.0f} {result['first_line_s']:>10.1f}s "
                  f"{result['total_s']:>7.1f}s {count / result['total_s']:>8.1f}")
        print(f"{name:<8} peak memory, large / small input: {peaks[1] / peaks[0]:.2f}x\n")


if __name__ == "__main__":
    main()
