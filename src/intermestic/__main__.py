"""``python -m intermestic`` runs the command line."""

import sys

from intermestic.cli import main

sys.exit(main())
