"""Fixtures every queue test needs: the settings' cipher and a queue policy with the bundled directory."""

from __future__ import annotations

import pytest

from core.config import get_settings
from outreach.directory import load_directory
from outreach.queue import QueuePolicy
from privacy.encryption import TextCipher


@pytest.fixture
def cipher() -> TextCipher:
    return TextCipher(get_settings().encryption_key.get_secret_value().encode())


@pytest.fixture
def policy() -> QueuePolicy:
    return QueuePolicy(sla_hours={2: 72, 3: 24, 4: 1}, cooldown_days=14, organisation="Testikunta",
                       services=load_directory())
