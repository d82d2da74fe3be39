"""The layers stay clean: a fresh interpreter importing core/engines/pipeline pulls in no
Qt and no heavy model library, and only studio/ui imports PySide6."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import studio

PACKAGE = Path(studio.__file__).parent
HEAVY = ("torch", "diffusers", "transformers", "faster_whisper", "ctranslate2", "whisper", "moviepy",
         "PySide6", "cv2")
LAYER = {"core": 0, "engines": 1, "pipeline": 2, "ui": 3}


def _modules(folder: str) -> list[str]:
    out = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        out.append(name[: -len(".__init__")] if name.endswith(".__init__") else name)
    return out


def test_importing_every_non_ui_module_loads_no_heavy_library() -> None:
    mods = _modules("core") + _modules("engines") + _modules("pipeline") + ["studio.cli", "studio.__main__"]
    code = (
        "import importlib, json, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_imports_only_go_down_the_layers() -> None:
    problems = []
    for folder, level in LAYER.items():
        for path in (PACKAGE / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "PySide6" and folder != "ui":
                        problems.append(f"{path}: imports {name}")
                    if parts[0] == "studio" and len(parts) > 1 and parts[1] in LAYER:
                        if LAYER[parts[1]] > level:
                            problems.append(f"{path}: {folder} imports {name}")
    assert problems == []
