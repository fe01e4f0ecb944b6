"""Bad input to the JSONL commands: every readable line answered, in order, one error record per bad line.

One case per bad-input class, through ``majakka redact`` and ``majakka score`` as a user runs them
(subprocess, raw bytes on stdin): no traceback, nothing lost, the output in input order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.jsonl import MAX_LINE_BYTES

GOOD_FI = json.dumps({"id": "fi", "text": "En jaksa enää, soita 040 123 4567"}).encode()
GOOD_SV = json.dumps({"id": "sv", "text": "Jag orkar inte mer, ring 070-123 45 67"}).encode()

#: (class, one bad input line as bytes, what its error record says)
BAD_LINES = [
    ("invalid JSON", b'{"id": "x", "text": ', "not JSON"),
    ("not UTF-8", b'{"id": "x", "text": "moi \xff\xfe"}', "not UTF-8"),
    ("nested too deeply", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("not a record", b'["id", "text"]', 'expected an object with "id"'),
    ("text not a string", b'{"id": "x", "text": 5}', 'expected an object with "id"'),
    ("id not a string", b'{"id": {"a": 1}, "text": "moi"}', 'expected "id"'),
    ("too long", b'{"id": "x", "text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}', "line too long"),
]

#: (class, a line the commands must answer normally)
ODD_BUT_READABLE = [
    ("empty text", {"id": "empty", "text": ""}),
    ("emoji only", {"id": "emoji", "text": "😭😭😭🙏"}),
    ("invisible characters", {"id": "invisible", "text": "\u200b\u200b\u00ad\u2060"}),
    ("lone surrogate", {"id": "surrogate \udc00", "text": "en jaksa \ud800 enää yhtään"}),
    ("mixed languages", {"id": "mixed", "text": "I can't anymore, en jaksa enää, jag orkar inte"}),
    ("huge post", {"id": "huge", "text": "alku " + "sana " * 200_000 + "en jaksa enää"}),
]


def _run(command: str, stdin: bytes, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", command, "-", *extra], input=stdin,
                          capture_output=True, env=dict(os.environ), timeout=600, check=False)


@pytest.mark.parametrize("command", ["redact", "score"])
def test_every_bad_line_gets_an_error_record_and_the_others_their_answers(command, settings):
    """All bad-input classes in one stream, each between two good lines."""
    stream = GOOD_FI + b"\n" + b"".join(line + b"\n" + GOOD_SV + b"\n" for _, line, _ in BAD_LINES)
    result = _run(command, stream)
    assert b"Traceback" not in result.stderr
    out = [json.loads(record) for record in result.stdout.decode().splitlines()]
    expected = ["fi"] + [key for number in range(len(BAD_LINES)) for key in (2 * number + 2, "sv")]
    assert [record.get("id", record.get("line")) for record in out] == expected
    for (kind, _, error), record in zip(BAD_LINES, out[1::2], strict=True):
        assert error in record["error"], kind
    assert result.returncode == 1  # reported in the exit code, after every line was answered


@pytest.mark.parametrize("command", ["redact", "score"])
def test_odd_but_readable_posts_are_answered(command, settings):
    stream = b"".join(json.dumps(record).encode() + b"\n" for _, record in ODD_BUT_READABLE) + GOOD_FI + b"\n"
    result = _run(command, stream)
    assert b"Traceback" not in result.stderr
    out = [json.loads(answer) for answer in result.stdout.decode().splitlines()]
    assert [answer.get("id") for answer in out] == [record["id"] for _, record in ODD_BUT_READABLE] + ["fi"]
    for (kind, _), answer in zip(ODD_BUT_READABLE, out, strict=False):
        assert "error" not in answer, (kind, answer)
    assert result.returncode == 0


def test_a_huge_post_is_cut_keeping_its_head_and_tail(settings):
    record = {"id": "huge", "text": "alku " + "sana " * 200_000 + "mut en jaksa enää"}
    result = _run("redact", json.dumps(record).encode() + b"\n", "--max-chars", "2000")
    answer = json.loads(result.stdout)
    assert answer["cut_to_chars"] == 2000
    assert answer["redacted"].startswith("alku ") and answer["redacted"].endswith("mut en jaksa enää")
    assert len(answer["redacted"]) <= 2000
