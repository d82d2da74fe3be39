"""Editors hold no more text than a project may (``core.validate.TEXT_LIMITS``), so a
paste of a whole book never becomes a project that refuses to load; the limit is said."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from studio.core.validate import TEXT_LIMITS


def _tip(limit: int) -> str:
    # Both languages in one line (like the CLI's unexpected-error sentence), so the limit
    # needs no entry in the translation catalogue.
    return f"Paling banyak {limit:,} karakter / at most {limit:,} characters.".replace(",", ".", 1)


def limit_line(edit: QLineEdit, key: str) -> None:
    """Cap a one-line editor at the limit of field ``key`` (e.g. ``Brief.title``)."""
    edit.setMaxLength(TEXT_LIMITS[key])


def limit_plain(edit: QPlainTextEdit, key: str) -> None:
    """Cap a multi-line editor: text past the limit is cut off and the limit shown as a tooltip."""
    limit = TEXT_LIMITS[key]

    def trim() -> None:
        text = edit.toPlainText()
        if len(text) > limit:
            edit.blockSignals(True)
            edit.setPlainText(text[:limit])
            edit.blockSignals(False)
            edit.setToolTip(_tip(limit))
            edit.textChanged.emit()

    edit.textChanged.connect(trim)
    trim()
