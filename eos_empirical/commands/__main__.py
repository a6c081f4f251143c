"""``python -m eos_empirical.commands``: the ``eos`` command without its console script."""

import sys

from eos_empirical.commands import main

sys.exit(main())
