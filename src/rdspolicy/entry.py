"""The ``rdspolicy`` console script.  ``rdspolicy --version`` answers from here, before
click or anything else is imported (a pre-commit hook or an editor asks it often);
every other command goes to :mod:`rdspolicy.cli`."""

import gc
import sys


def console_main() -> None:
    # No cycle collector in the console script: loading the modules (click, pydantic,
    # the model classes) made it walk their objects over and over, about 4% of a small
    # check, for no garbage (they live until the end).  The check itself already ran
    # without it (pipeline._no_cyclic_gc), the reports make next to no cycles, and the
    # process ends with os._exit, nothing freed one by one.
    gc.disable()
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"rdspolicy {__version__}\n")
        sys.exit(0)
    from .cli import console_main as main

    main()
