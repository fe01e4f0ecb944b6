"""The training settings describe themselves, and the CLI that reads them shows that description."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from app.cli.main import main
from models.training.config import TrainConfig


def test_train_help_lists_every_setting_with_its_help(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    shown = capsys.readouterr().out
    for setting in fields(TrainConfig):
        assert f"{setting.name} ({setting.default!r}): {setting.metadata['help']}" in shown


def test_a_config_file_with_an_unknown_setting_is_refused(tmp_path):
    path = tmp_path / "recipe.json"
    path.write_text(json.dumps({"epochs": 5, "epoch": 6}))
    with pytest.raises(ValueError, match="unknown settings \\['epoch'\\]"):
        TrainConfig.from_json(path)
