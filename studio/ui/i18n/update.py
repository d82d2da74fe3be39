"""Refresh the UI translation files: ``python -m studio.ui.i18n.update``.

1. ``pyside6-lupdate`` collects every ``tr()`` / ``translate()`` / ``QT_TRANSLATE_NOOP``
   string from ``studio/ui/**/*.py`` into ``studio_en.ts`` (existing translations are
   kept; strings no longer in the code are dropped; no line numbers, so the file only
   changes when the text does).
2. Translate what is new (Qt Linguist, or any editor: fill ``<translation>`` and drop
   ``type="unfinished"``).
3. ``python -m studio.ui.i18n.update --compile`` runs ``pyside6-lrelease`` to write
   ``studio_en.qm``. The .qm is committed so a plain ``pip install -e .`` has the English
   UI without a build step; ``tests/ui/test_ui_i18n.py`` fails if it is not exactly what
   the .ts compiles to, or if any UI string lacks a translation.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

UI = Path(__file__).resolve().parent.parent
FOLDER = Path(__file__).resolve().parent
TS = FOLDER / "studio_en.ts"
QM = FOLDER / "studio_en.qm"


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"{name} not found; it comes with PySide6 (pip install PySide6-Essentials).")
    return found


def sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if "__pycache__" not in p.parts)


def extract(ts: Path = TS) -> None:
    """Collect the UI strings into ``ts`` (keeping existing translations)."""
    subprocess.run([_tool("pyside6-lupdate"), *map(str, sources()), "-no-obsolete",
                    "-locations", "none", "-ts", str(ts)], check=True, capture_output=True)


def compile_qm(ts: Path = TS, qm: Path = QM) -> None:
    """Compile ``ts`` into the binary ``qm`` the app loads."""
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True,
                   capture_output=True)


def messages(ts: Path) -> dict[tuple[str, str], str | None]:
    """``{(context, source): translation}``; None for an unfinished or empty translation."""
    out: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            tr = message.find("translation")
            done = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete") \
                and bool((tr.text or "").strip())
            out[(name, source)] = tr.text if done and tr is not None else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", action="store_true", help="only compile the .ts to .qm")
    args = parser.parse_args()
    if not args.compile:
        extract()
        missing = [src for src, tr in messages(TS).items() if tr is None]
        print(f"{TS.name}: {len(messages(TS))} strings, {len(missing)} to translate")
    compile_qm()
    print(f"wrote {QM}")


if __name__ == "__main__":
    main()
