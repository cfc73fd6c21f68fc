"""``python -m rtmcompat``."""

import sys

from .cli import main

sys.exit(main())
