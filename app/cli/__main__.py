"""``python -m app.cli``: the same front door as the ``majakka`` command."""

import sys

from app.cli.main import main

sys.exit(main())
