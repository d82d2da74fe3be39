"""The "Durasi video" card: ``pipeline.duration_fit``'s proposals, each with the length it leads to.

Shown on the Suara page (where a tempo change is applied) and on the Naskah page (where
the script is trimmed or extended) whenever the video's length is outside the preset's
range. The card only draws a ``FitProposal``; the page that hosts it says where the
proposal comes from and what "apply tempo" and "edit the script" do there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from studio.ui import i18n, texts
from studio.ui.widgets.common import Card, button, clear_layout, label


class FitCard(Card):
    """The duration meter's advice: what to change, and the length it leads to, before applying."""

    def __init__(self, propose: Callable[[], Any], apply_tempo: Callable[[float], None],
                 edit_script: Callable[[Any], None], *, busy: Callable[[], bool] = lambda: False,
                 only_measured: bool = False, edit_label: str = "",
                 parent: QWidget | None = None) -> None:
        """
        Args:
            propose: Returns the ``FitProposal`` to show (or None).
            apply_tempo: Called with the tempo factor when "Terapkan tempo" is clicked.
            edit_script: Called with the script ``FitOption`` when its button is clicked.
            busy: True while a job runs (apply buttons are disabled meanwhile).
            only_measured: Hide the card while the length is partly an estimate (the
                Naskah page: its own total already shows the estimate).
            edit_label: Caption of the script option's button (default "Ubah naskah").
        """
        super().__init__(parent)
        self._propose = propose
        self._apply_tempo = apply_tempo
        self._edit_script = edit_script
        self._busy = busy
        self._only_measured = only_measured
        self._edit_label = edit_label
        self.proposal: Any = None
        self.title = label(self.tr("Durasi video"), "h2")
        self.body.addWidget(self.title)
        self.status = label(role="muted", wrap=True)
        self.body.addWidget(self.status)
        self.rows = QVBoxLayout()
        self.body.addLayout(self.rows)
        self.options: list = []
        self.apply_buttons: list = []
        self.edit_buttons: list = []
        self.setVisible(False)

    def update_view(self) -> None:
        proposal = self.proposal = self._propose()
        clear_layout(self.rows)
        self.apply_buttons = []
        self.edit_buttons = []
        self.options = list(proposal.options) if proposal is not None else []
        if proposal is None or proposal.status == "ok" or (self._only_measured and proposal.estimated):
            self.setVisible(False)
            return
        self.setVisible(True)
        self.set_state("stale")
        lo, hi = texts.seconds(proposal.min_seconds, 0), texts.seconds(proposal.max_seconds, 0)
        if proposal.status == "long":
            head = self.tr("Video {total} — lebih panjang dari batas {lo}–{hi}.")
        else:
            head = self.tr("Video {total} — lebih pendek dari batas {lo}–{hi}.")
        text = head.format(total=texts.seconds(proposal.total), lo=lo, hi=hi)
        if proposal.estimated:
            text += " " + self.tr("(Sebagian adegan belum bersuara atau narasinya sudah diubah: panjangnya "
                            "masih perkiraan.)")
        self.status.setText(text + " " + self.tr("Pilihan perbaikan (hasilnya terlihat sebelum diterapkan):"))
        language = "id" if i18n.language() == "id" else "en"
        for option in self.options:
            row = QHBoxLayout()
            row.addWidget(label("• " + option.text(language), wrap=True), 1)
            if option.kind == "tempo":
                b = button(self.tr("Terapkan tempo"), slot=lambda o=option: self._apply_tempo(o.factor))
                b.setEnabled(not self._busy())
                self.apply_buttons.append(b)
            else:
                b = button(self._edit_label or self.tr("Ubah naskah"), "link",
                           slot=lambda o=option: self._edit_script(o))
                self.edit_buttons.append(b)
            row.addWidget(b)
            self.rows.addLayout(row)

    def set_busy(self, busy: bool) -> None:
        for b in self.apply_buttons:
            b.setEnabled(not busy)
