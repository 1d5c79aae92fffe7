"""`python -m cli`: the same as the `afterschool` command."""

import sys

from cli import main

sys.exit(main())
