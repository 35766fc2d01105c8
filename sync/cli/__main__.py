"""``python -m sync.cli``: the same as the ``dvk`` console script."""

import sys

from .app import main

sys.exit(main())
