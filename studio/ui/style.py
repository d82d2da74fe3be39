"""The look: one stylesheet built from the system font size, and the colours.

Sizes are in points derived from the application font (which follows the system's
font size setting), never fixed pixels, so the window scales on a 1366×768 laptop,
a 1920×1080 projector and in "mode presentasi" (a larger base size). Colours are a
calm navy-and-white palette with high contrast (WCAG AA for body text).
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

INK = "#1b1f24"
MUTED = "#525c69"
PAPER = "#f4f6f9"
PANEL = "#ffffff"
LINE = "#d5dbe3"
PRIMARY = "#1d4f91"
PRIMARY_DARK = "#163d70"
PRIMARY_SOFT = "#e5edf8"
ACCENT = "#b8862b"
OK = "#1e7b34"
OK_SOFT = "#e6f4ea"
WARN = "#8a5300"
WARN_SOFT = "#fff4e0"
BAD = "#b3261e"
BAD_SOFT = "#fdecea"

STATE_COLOURS = {"done": OK, "stale": "#c77700", "missing": "#8a94a3", "partial": PRIMARY,
                 "current": ACCENT}

PRESENTATION_FACTOR = 1.4
_FAMILY = ""


def load_fonts() -> str:
    """Register Source Sans Pro (OFL, from its PyPI package) if present; returns the family."""
    global _FAMILY
    if _FAMILY:
        return _FAMILY
    spec = importlib.util.find_spec("font_source_sans_pro")
    if spec and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0])
        for name in ("Regular", "Semibold", "Bold", "It"):
            for path in folder.rglob(f"SourceSansPro-{name}.ttf"):
                fid = QFontDatabase.addApplicationFont(str(path))
                if fid >= 0 and not _FAMILY:
                    families = QFontDatabase.applicationFontFamilies(fid)
                    _FAMILY = families[0] if families else ""
    if not _FAMILY:
        log.info("Source Sans Pro not found; using the system font")
    return _FAMILY


def base_point_size(app: QApplication) -> float:
    """The system's body text size in points (what the user set in their desktop)."""
    size = QFont().pointSizeF()
    if size <= 0:
        size = 10.0
    return size


def stylesheet(pt: float) -> str:
    """The application stylesheet for a body text size of ``pt`` points."""
    def s(f: float) -> str:
        return f"{pt * f:.1f}pt"

    return f"""
QWidget {{ color: {INK}; font-size: {s(1.0)}; }}
QMainWindow, QDialog {{ background: {PAPER}; }}
QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QLabel[role="h1"] {{ font-size: {s(1.7)}; font-weight: 600; color: {PRIMARY_DARK}; }}
QLabel[role="h2"] {{ font-size: {s(1.25)}; font-weight: 600; color: {INK}; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="small"] {{ color: {MUTED}; font-size: {s(0.9)}; }}
QLabel[role="badge"] {{ border-radius: 0.6em; padding: 0.1em 0.6em; font-size: {s(0.85)};
    font-weight: 600; background: {PRIMARY_SOFT}; color: {PRIMARY_DARK}; }}
QLabel[tone="ok"] {{ color: {OK}; }}
QLabel[tone="warn"] {{ color: {WARN}; }}
QLabel[tone="bad"] {{ color: {BAD}; }}
QLabel[tone="ai"] {{ color: #5b2a99; }}
QLabel[role="badge"][tone="ok"] {{ background: {OK_SOFT}; color: {OK}; }}
QLabel[role="badge"][tone="warn"] {{ background: {WARN_SOFT}; color: {WARN}; }}
QLabel[role="badge"][tone="bad"] {{ background: {BAD_SOFT}; color: {BAD}; }}
QLabel[role="badge"][tone="ai"] {{ background: #efe6fb; color: #5b2a99; }}
QFrame[role="card"] {{ background: {PANEL}; border: 1px solid {LINE}; border-radius: 0.5em; }}
QFrame[role="card"][state="stale"] {{ border: 2px solid #e0a030; }}
QFrame[role="topbar"] {{ background: {PANEL}; border-bottom: 1px solid {LINE}; }}
QFrame[role="jobbar"] {{ background: {PRIMARY_SOFT}; border-top: 1px solid {LINE}; }}
QFrame[role="nextbar"] {{ background: transparent; border-top: 1px solid {LINE}; }}
QFrame[role="banner"] {{ border-radius: 0.4em; padding: 0.3em; background: {PRIMARY_SOFT};
    border: 1px solid #b9cbe6; }}
QFrame[role="banner"][tone="warn"] {{ background: {WARN_SOFT}; border: 1px solid #efc77a; }}
QFrame[role="banner"][tone="bad"] {{ background: {BAD_SOFT}; border: 1px solid #eba8a3; }}
QFrame[role="banner"][tone="ok"] {{ background: {OK_SOFT}; border: 1px solid #9fd3ad; }}
QListWidget#stepList {{ background: {PRIMARY_DARK}; border: none; color: white;
    font-size: {s(1.1)}; outline: 0; padding-top: 0.5em; }}
QListWidget#stepList::item {{ color: #e8eef7; padding: 0.55em 0.6em; border-left: 4px solid transparent; }}
QListWidget#stepList::item:selected {{ background: #2a5fa6; color: white;
    border-left: 4px solid {ACCENT}; }}
QListWidget#stepList::item:hover:!selected {{ background: #1f4a85; }}
QPushButton {{ background: {PANEL}; border: 1px solid #aab4c2; border-radius: 0.35em;
    padding: 0.35em 0.9em; min-height: 1.6em; }}
QPushButton:hover {{ background: {PRIMARY_SOFT}; border-color: {PRIMARY}; }}
QPushButton:focus {{ border: 2px solid {PRIMARY}; }}
QPushButton:disabled {{ color: #8a94a3; background: #eef1f5; border-color: {LINE}; }}
QPushButton[role="primary"] {{ background: {PRIMARY}; color: white; border: 1px solid {PRIMARY_DARK};
    font-weight: 600; }}
QPushButton[role="primary"]:hover {{ background: {PRIMARY_DARK}; }}
QPushButton[role="primary"]:disabled {{ background: #9fb3cf; color: #eef2f8; }}
QPushButton[role="danger"] {{ color: {BAD}; border-color: #d9a19c; }}
QPushButton[role="link"] {{ border: none; background: transparent; color: {PRIMARY};
    text-decoration: underline; padding: 0.1em 0.2em; }}
QPushButton[role="icon"] {{ padding: 0.2em 0.45em; min-width: 1.6em; }}
QLineEdit, QPlainTextEdit, QTextEdit {{
    background: white; border: 1px solid #aab4c2; border-radius: 0.3em; padding: 0.25em 0.4em;
    selection-background-color: {PRIMARY}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 2px solid {PRIMARY}; }}
QComboBox, QSpinBox {{ min-height: 1.7em; }}
QGroupBox {{ background: {PANEL}; border: 1px solid {LINE}; border-radius: 0.5em;
    margin-top: 1.4em; padding: 0.8em 0.6em 0.6em 0.6em; }}
QGroupBox {{ font-size: {s(1.1)}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 0.8em; padding: 0 0.3em;
    font-weight: 600; color: {PRIMARY_DARK}; }}
QScrollBar:vertical {{ background: transparent; width: 0.8em; margin: 0; }}
QScrollBar::handle:vertical {{ background: #b7c1ce; border-radius: 0.3em; min-height: 2em; }}
QScrollBar::handle:vertical:hover {{ background: #8f9caf; }}
QScrollBar:horizontal {{ background: transparent; height: 0.8em; margin: 0; }}
QScrollBar::handle:horizontal {{ background: #b7c1ce; border-radius: 0.3em; min-width: 2em; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QProgressBar {{ border: 1px solid #9fb3cf; border-radius: 0.3em; background: white;
    text-align: center; min-height: 1.3em; }}
QProgressBar::chunk {{ background: {PRIMARY}; border-radius: 0.25em; }}
QTableWidget {{ background: white; gridline-color: {LINE}; border: 1px solid {LINE};
    selection-background-color: {PRIMARY_SOFT}; selection-color: {INK}; }}
QHeaderView::section {{ background: {PAPER}; border: none; border-bottom: 1px solid {LINE};
    padding: 0.3em; font-weight: 600; }}
QTabBar::tab {{ padding: 0.4em 1em; }}
QToolTip {{ color: {INK}; background: #fffbe6; border: 1px solid {LINE}; }}
"""


def apply_style(app: QApplication, *, presentation: bool = False) -> float:
    """Set the font and stylesheet; returns the body size in points."""
    family = load_fonts()
    base = getattr(app, "_studio_base_pt", None)
    if base is None:
        base = base_point_size(app)
        # Source Sans is a little smaller than DejaVu at the same point size.
        if family:
            base *= 1.1
        app._studio_base_pt = base  # type: ignore[attr-defined]
    pt = base * (PRESENTATION_FACTOR if presentation else 1.0)
    app._studio_presentation = presentation  # type: ignore[attr-defined]
    # Fusion draws combo boxes, spin boxes and sliders the same on every OS; the
    # stylesheet only colours the rest.
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(PAPER))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(PRIMARY))
    palette.setColor(QPalette.ColorRole.Button, QColor(PANEL))
    app.setPalette(palette)
    font = QFont(family) if family else QFont()
    font.setPointSizeF(pt)
    app.setFont(font)
    app.setStyleSheet(stylesheet(pt))
    return pt


def presentation_mode() -> bool:
    """True while the big-font presentation mode (F11) is on: pages built now lay out for it."""
    app = QApplication.instance()
    return bool(getattr(app, "_studio_presentation", False))


def colour(name: str) -> QColor:
    return QColor(STATE_COLOURS.get(name, MUTED))
