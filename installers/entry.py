"""Entry point of the frozen program (installers/renewal-desk.spec): the same `main` as the
`renewal-desk` console script, so the bundle takes every subcommand and, without one, opens the
window."""

import sys

from renewal_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
