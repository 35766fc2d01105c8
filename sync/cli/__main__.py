"""``python -m sync.cli``: the same as the ``dvk`` console script."""

import sys

from . import main

sys.exit(main())
