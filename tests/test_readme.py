"""The README leads with exactly the two fresh-machine commands, and CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", head, flags=re.S)


def test_readme_opens_with_two_commands() -> None:
    cmds = _commands()
    assert len(cmds) == 2
    setup_demo, setup_tests = cmds
    assert "pip install torch==2.13.0" in setup_demo and "studio demo" in setup_demo
    assert "pip install torch==2.13.0" in setup_tests and "pytest" in setup_tests
    # torch's CPU build goes in before the package, so pip never resolves a CUDA build.
    assert setup_tests.index("torch==2.13.0") < setup_tests.index("pip install -e")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()
