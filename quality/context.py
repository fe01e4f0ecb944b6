"""An ephemeral, offline Great Expectations context.

Nothing is written to disk and nothing is sent anywhere: analytics are disabled before
GE is imported, progress bars are off, and GE's chatty INFO logging is silenced.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache


@lru_cache(maxsize=1)
def ephemeral_context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context
