"""``studio`` / ``python -m studio``: no arguments opens the window; a subcommand runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        # Imported only here so the headless commands never load Qt.
        from studio.ui.app import run_gui

        return run_gui()
    from studio.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
