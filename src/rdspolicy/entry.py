"""The ``rdspolicy`` console script.  ``rdspolicy --version`` answers from here, before
click or anything else is imported (a pre-commit hook or an editor asks it often);
every other command goes to :mod:`rdspolicy.cli`."""

import sys


def console_main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"rdspolicy {__version__}\n")
        sys.exit(0)
    from .cli import console_main as main

    main()
