"""The name tagger: decoding to whole-word spans, windows over long texts, the shipped model, a smoke training."""

from __future__ import annotations

from itertools import pairwise

import pytest

from collect.corpora import available as real_data_available
from privacy.ner import tagger as tagger_module
from privacy.ner.tagger import Tagger, _words, name_spans, windows


def test_pieces_of_one_word_become_one_whole_word_span():
    text = "Soitin Virtaselle eilen"
    offsets = [(0, 6), (6, 10), (10, 13), (13, 17), (17, 23)]  # "Soitin", " Vir", "tas", "elle", " eilen"
    words = _words(text, offsets, [0.01, 0.9, 0.2, 0.1, 0.02])
    assert [(text[w.start:w.end], w.person) for w in words] == [("Soitin", 0.01), ("Virtaselle", 0.9),
                                                                  ("eilen", 0.02)]
    assert [(text[s.start:s.end], s.type) for s in name_spans(text, words, 0.5)] == [("Virtaselle", "PER")]


def test_adjacent_name_words_join_and_words_below_the_threshold_stay_out():
    text = "tuntee Liisa Mäkelän Lahdesta"
    words = _words(text, [(0, 6), (6, 12), (12, 20), (20, 29)], [0.01, 0.95, 0.8, 0.2])
    assert [text[s.start:s.end] for s in name_spans(text, words, 0.3)] == ["Liisa Mäkelän"]
    assert [text[s.start:s.end] for s in name_spans(text, words, 0.1)] == ["Liisa Mäkelän Lahdesta"]


def test_windows_cover_a_long_text_with_overlap():
    covered = windows(1000)
    assert covered[0][0] == 0 and covered[-1][1] == 1000
    assert all(later[0] < earlier[1] for earlier, later in pairwise(covered))
    assert windows(10) == [(0, 10)]


def test_policy_score_puts_the_operating_threshold_at_one_half():
    tagger = Tagger.__new__(Tagger)
    tagger.threshold = 0.2
    assert tagger.policy_score(0.2) == 0.5
    assert tagger.policy_score(1.0) == 1.0
    assert tagger.policy_score(0.1) == 0.25


def test_the_shipped_tagger_finds_names_in_finnish_and_swedish():
    tagger = Tagger(tagger_module.load(), threshold=tagger_module.operating_threshold())
    fi, sv, none = tagger.tag(["Eilen kysyin Ainolta että mitä nyt", "Jag ringde Erik Johansson igår",
                               "ihan tavallinen tiistai ja kahvia"])
    assert any("Ainolta" in "Eilen kysyin Ainolta että mitä nyt"[s.start:s.end] and s.score >= tagger.threshold
               for s in fi)
    assert any("Erik" in "Jag ringde Erik Johansson igår"[s.start:s.end] and s.score >= tagger.threshold for s in sv)
    assert not [s for s in none if s.score >= tagger.threshold]


@pytest.mark.skipif(not real_data_available(), reason="the shared real corpora are not here")
def test_a_smoke_training_writes_a_loadable_tagger(tmp_path):
    from app import components
    from privacy.ner.tagger import load
    from privacy.ner.training import NameTrainConfig, evaluate, train

    train(NameTrainConfig(layers=1, epochs=1, max_sentences=40), tmp_path, components.encoder_dir())
    model = load(tmp_path)
    figures = evaluate(Tagger(model, threshold=0.5), [], 0.5)
    assert model.layers == 1 and figures["names"] == 0
