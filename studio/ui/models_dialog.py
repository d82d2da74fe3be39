"""Model AI: the model manager's catalogue in a window — what each model is, where it is, get it.

Over ``engines.models.manager``: every known model with what it is for, its size and
licence (Indonesian and English texts from the catalogue), whether it is on this
computer and where (the app's model folder, a folder chosen in Settings, the Hugging
Face cache, bundled). Four actions, each a job with a progress bar and Cancel in the
dialog, and none ever started without a click:

* **Unduh** — ``model_manager.download`` from the hub address shown (huggingface.co,
  a mirror, or a trainer's local server); resumable: a cancel keeps what arrived;
* **Pakai folder…** — ``use_folder``: a copy the creator already has (USB stick) is
  referenced, or copied into the app's folder when "Salin" is ticked;
* **Periksa** — ``verify_folder``: sizes and checksums of every file;
* **Konversi di komputer ini** — for the fast script models made from a downloaded Hugging Face
  model (``engines.models.conversion.convert``): the runtime's own converter, then the folder
  is adopted; a cancel leaves nothing behind.

The dialog works on its own copy of the settings and hands every change (an adopted
folder, the hub address) to ``on_settings``: the window saves them at once, the
Settings dialog puts them into its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.jobs import Progress
from studio.core.settings import Settings
from studio.ui import dialogs, i18n, texts
from studio.ui.jobs import JobRunner
from studio.ui.widgets.common import Card, button, label, restyle, set_tone

COLUMNS = 5


def short_licence(text: str) -> str:
    """The licence's name without its explanation (the table cell; the whole text is in the tooltip
    and the details card): "CC-BY-NC-4.0 (non-commercial)" -> "CC-BY-NC-4.0"."""
    return text.split(" (")[0].split(":")[0].strip() or text


def licence_text(spec: Any, language: str) -> str:
    """The licence in the UI language (the catalogue's Indonesian wording when it has one)."""
    return (getattr(spec, "licence_id", "") or spec.licence) if language == "id" else spec.licence


class ModelsDialog(QDialog):
    """The catalogue with download / use a folder / verify, each run as a cancellable job."""

    def __init__(self, parent: QWidget | None, settings: Settings, *,
                 on_settings: Callable[[Settings], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Model AI"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.settings = settings.model_copy(deep=True)
        self._on_settings = on_settings
        self.runner: JobRunner | None = None
        self._cancelled_text = ""
        self.statuses: list[Any] = []
        self.last_outcome = ""
        """ok / failed / cancelled of the last job (for tests and the status line)."""
        col = QVBoxLayout(self)
        col.setSpacing(10)
        col.addWidget(label(self.tr("Model AI"), "h1"))
        col.addWidget(label(self.tr(
            "Model yang dikenal Studio Lokal, kegunaannya, ukuran dan lisensinya, serta di mana model itu "
            "ada di komputer ini. Tidak ada yang diunduh tanpa Anda minta; model yang sudah ada di flashdisk "
            "bisa langsung dipakai lewat “Pakai folder…”."), "muted", wrap=True))

        hub_row = QHBoxLayout()
        hub_row.addWidget(label(self.tr("Alamat unduhan"), "muted"))
        self.hub_edit = QLineEdit(self.settings.models.hub_url)
        from studio.engines.models.download import DEFAULT_HUB

        self.hub_edit.setPlaceholderText(DEFAULT_HUB)
        self.hub_edit.setToolTip(self.tr("Kosong: huggingface.co. Bisa diisi cermin (mis. https://hf-mirror.com) "
                                         "atau server lokal pelatih dengan susunan yang sama."))
        hub_row.addWidget(self.hub_edit, 1)
        col.addLayout(hub_row)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("Model"), self.tr("Untuk"), self.tr("Ukuran"),
                                              self.tr("Lisensi"), self.tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(3, self.fontMetrics().horizontalAdvance("Stability AI Community License") + 16)
        self.table.currentCellChanged.connect(lambda *_: self._show_details())
        col.addWidget(self.table, 1)

        self.details = Card()
        self.detail_title = label(role="h2")
        self.detail_text = label(wrap=True, selectable=True)
        self.detail_where = label(role="small", wrap=True, selectable=True)
        self.details.body.addWidget(self.detail_title)
        self.details.body.addWidget(self.detail_text)
        self.details.body.addWidget(self.detail_where)
        actions = QHBoxLayout()
        self.download_button = button(self.tr("Unduh"), "primary", slot=self._on_download)
        self.folder_button = button(self.tr("Pakai folder…"), slot=self._on_use_folder)
        self.copy_check = QCheckBox(self.tr("Salin ke folder aplikasi"))
        self.copy_check.setToolTip(self.tr("Tanpa centang, folder itu dirujuk di tempatnya (hemat ruang disk); "
                                           "centang bila flashdisk akan dicabut."))
        self.verify_button = button(self.tr("Periksa"), slot=self._on_verify)
        self.verify_button.setToolTip(self.tr("Periksa ukuran dan checksum setiap berkas model"))
        self.convert_button = button(self.tr("Konversi di komputer ini"), slot=self._on_convert)
        for w in (self.download_button, self.convert_button, self.folder_button, self.copy_check,
                  self.verify_button):
            actions.addWidget(w)
        actions.addStretch(1)
        self.details.body.addLayout(actions)
        col.addWidget(self.details)

        job = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.message = label(role="small", wrap=True, selectable=True)
        self.cancel_button = button(self.tr("Batalkan"), "danger", slot=self.cancel)
        self.cancel_button.hide()
        job.addWidget(self.progress, 1)
        job.addWidget(self.cancel_button)
        col.addLayout(job)
        col.addWidget(self.message)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.close_button = button(self.tr("Tutup"), slot=self.close)
        bottom.addWidget(self.close_button)
        col.addLayout(bottom)
        self.refresh()
        if self.table.rowCount():
            self.table.selectRow(0)
        fm = self.fontMetrics()
        # Eight or more catalogue rows and the details card visible at once on a 1366×768 screen.
        self.resize(max(fm.horizontalAdvance("0") * 150, 940), max(fm.height() * 38, 680))

    # ------------------------------------------------------------------ view

    def refresh(self) -> None:
        """Re-read where every model is (no hashing, no network) and redraw."""
        from studio.engines.models import manager as mm
        from studio.engines.models.catalog import human_size

        row = max(0, self.table.currentRow())
        self.statuses = mm.statuses(self.settings)
        self.table.setRowCount(len(self.statuses))
        for i, st in enumerate(self.statuses):
            spec = st.spec
            name = spec.name + ("  ★" if spec.recommended else "")
            size = human_size(spec.size, approx=not spec.size_exact) if spec.size else "–"
            status, tone = self.status_text(st)
            cells = (name, self.kind_label(spec.kind), size, short_licence(spec.licence), status)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(licence_text(spec, i18n.language()) if c == 3 else text)
                if c == 4:
                    item.setForeground(Qt.GlobalColor.darkGreen if tone == "ok" else
                                       (Qt.GlobalColor.darkRed if tone == "bad" else Qt.GlobalColor.darkGray))
                self.table.setItem(i, c, item)
        if self.statuses:
            self.table.setCurrentCell(min(row, len(self.statuses) - 1), 0)
        self._show_details()

    def row_of(self, model_id: str) -> int:
        return next(i for i, st in enumerate(self.statuses) if st.spec.id == model_id)

    def select(self, model_id: str) -> None:
        self.table.setCurrentCell(self.row_of(model_id), 0)

    def current_status(self) -> Any:
        row = self.table.currentRow()
        return self.statuses[row] if 0 <= row < len(self.statuses) else None

    def kind_label(self, kind: str) -> str:
        return texts.step_label({"image": "images", "transcribe": "subtitles"}.get(kind, kind))

    def where_label(self, where: str) -> str:
        return {"app": self.tr("folder aplikasi"), "settings": self.tr("folder pilihan Anda"),
                "hf-cache": self.tr("cache Hugging Face"), "bundled": self.tr("bawaan aplikasi")}.get(where, where)

    def status_text(self, st: Any) -> tuple[str, str]:
        """(short status, tone) of a ``ModelStatus`` for the table."""
        lang = i18n.language()
        best = st.best
        if best is not None:
            return self.tr("Ada — {where}").format(where=self.where_label(best.where)), "ok"
        broken = next((loc for loc in st.locations if not loc.ok), None)
        if broken is not None:
            return self.tr("Belum lengkap — {why}").format(why=broken.detail.text(lang)), "bad"
        return self.tr("Belum ada"), ""

    def _show_details(self) -> None:
        st = self.current_status()
        if st is None:
            self.details.hide()
            return
        self.details.show()
        spec = st.spec
        lang = i18n.language()
        self.detail_title.setText(spec.name)
        purpose = spec.purpose_id if lang == "id" else spec.purpose_en
        note = spec.note_id if lang == "id" else spec.note_en
        self.detail_text.setText(" ".join(t for t in (purpose, note) if t) + "\n"
                                 + self.tr("Lisensi: {licence}. Sumber: {source}.").format(
                                     licence=licence_text(spec, lang), source=spec.source))
        lines = [("✓ " if loc.ok else "✗ ") + f"{self.where_label(loc.where)}: {loc.path}"
                 + ("" if loc.ok else f" — {loc.detail.text(lang)}") for loc in st.locations]
        self.detail_where.setText("\n".join(lines) if lines else self.tr("Belum ada di komputer ini."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        st = self.current_status()
        busy = self.runner is not None and self.runner.running
        can_download = st is not None and bool(st.spec.repo or st.spec.id == "whisper-base")
        self.download_button.setEnabled(not busy and can_download)
        present = st is not None and st.present
        self.download_button.setText(self.tr("Unduh lagi") if present else self.tr("Unduh"))
        # A model that is already here: checking it is the main action, downloading again is not.
        for widget, main in ((self.download_button, not present), (self.verify_button, present)):
            role = "primary" if main else ""
            if (widget.property("role") or "") != role:
                widget.setProperty("role", role)
                restyle(widget)
        if st is not None and st.spec.size:
            from studio.engines.models.catalog import human_size

            self.download_button.setToolTip(self.tr("Unduh {size} dari alamat unduhan di atas").format(
                size=human_size(st.spec.size, approx=not st.spec.size_exact)))
        self.folder_button.setEnabled(not busy and st is not None and bool(st.spec.layout))
        self.copy_check.setEnabled(not busy)
        self.verify_button.setEnabled(not busy and st is not None and bool(st.locations))
        from studio.engines.models.conversion import can_convert

        convertible = st is not None and can_convert(st.spec)
        self.convert_button.setVisible(convertible)
        self.convert_button.setEnabled(not busy and convertible)
        if convertible:
            from studio.engines.models.catalog import catalog

            base = catalog()[st.spec.base]  # type: ignore[union-attr]
            self.convert_button.setToolTip(self.tr(
                "Buat model ini dari {base} yang sudah diunduh, dengan pengonversi runtime-nya sendiri "
                "(beberapa menit)").format(base=base.name))
        self.table.setEnabled(not busy)
        self.close_button.setEnabled(not busy)

    def _say(self, text: str, tone: str = "") -> None:
        self.message.setText(text)
        set_tone(self.message, tone)

    # ------------------------------------------------------------------ jobs

    @property
    def busy(self) -> bool:
        return self.runner is not None and self.runner.running

    def _run(self, what: str, call: Callable[[Any], Any], done: Callable[[Any], None]) -> JobRunner | None:
        if self.busy:
            return None
        runner = JobRunner(call, what, self)
        self.runner = runner
        self._cancelled_text = ""
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        runner.progressed.connect(self._on_progress)
        runner.succeeded.connect(lambda value: self._finish("ok", lambda: done(value)))
        runner.failed.connect(lambda exc: self._finish("failed", lambda: self._on_failed(exc)))
        runner.cancelled.connect(lambda _exc: self._finish("cancelled", self._on_cancelled))
        runner.start()
        self._update_buttons()
        return runner

    def _finish(self, outcome: str, then: Callable[[], None]) -> None:
        runner, self.runner = self.runner, None
        self.progress.hide()
        self.cancel_button.hide()
        self.last_outcome = outcome
        self.refresh()
        then()
        if runner is not None:
            runner.deleteLater()

    def _on_progress(self, p: Progress) -> None:
        frac = p.fraction
        if frac is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(frac * 1000))
        if p.message:
            self._say(p.message)

    def fraction(self) -> float | None:
        if self.progress.maximum() == 0:
            return None
        return self.progress.value() / 1000.0

    def cancel(self) -> None:
        if self.busy:
            assert self.runner is not None
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            self._say(self.tr("Menghentikan… bagian yang sudah selesai disimpan."))

    def _on_failed(self, exc: BaseException) -> None:
        self._say("✗ " + dialogs.error_message(exc), "bad")

    def _on_cancelled(self) -> None:
        self._say(self._cancelled_text or self.tr(
            "Dibatalkan. Bagian yang sudah terunduh disimpan; unduh lagi untuk melanjutkan."), "warn")

    def _changed_settings(self) -> None:
        if self._on_settings is not None:
            self._on_settings(self.settings.model_copy(deep=True))

    # ------------------------------------------------------------------ actions

    def _on_download(self) -> None:
        st = self.current_status()
        if st is None:
            return
        spec = st.spec
        hub = self.hub_edit.text().strip()
        if hub != self.settings.models.hub_url:
            self.settings.models.hub_url = hub
            self._changed_settings()

        def call(ctx):  # noqa: ANN001, ANN202 - worker
            from studio.engines.models import manager as model_manager

            return model_manager.download(spec, ctx, base=hub)

        def done(folder: Path) -> None:
            self._say("✓ " + self.tr("{name} siap di {folder}.").format(name=spec.name, folder=folder), "ok")

        self._say(self.tr("Mengunduh {name}…").format(name=spec.name))
        self._run("download", call, done)

    def _on_convert(self) -> None:
        from studio.engines.models.conversion import can_convert

        st = self.current_status()
        if st is None or not can_convert(st.spec):
            return
        spec = st.spec
        settings = self.settings.model_copy(deep=True)

        def call(ctx):  # noqa: ANN001, ANN202 - worker
            from studio.engines.models import conversion

            return conversion.convert(spec, ctx, settings=settings), settings

        def done(result: tuple[Path, Settings]) -> None:
            folder, chosen = result
            setattr(self.settings.models, spec.setting, getattr(chosen.models, spec.setting))
            self._changed_settings()
            self.refresh()
            self._say("✓ " + self.tr("{name} siap di {folder} dan dipakai untuk naskah lokal cepat.").format(
                name=spec.name, folder=folder), "ok")

        self._say(self.tr("Mengonversi {name}…").format(name=spec.name))
        if self._run("convert", call, done) is not None:
            self._cancelled_text = self.tr("Konversi dibatalkan; sisa konversi sudah dihapus.")

    def _on_use_folder(self) -> None:
        st = self.current_status()
        if st is None:
            return
        spec = st.spec
        folder = dialogs.choose_folder(self, self.tr("Pilih folder {name}").format(name=spec.name))
        if folder is None:
            return
        copy = self.copy_check.isChecked()
        settings = self.settings.model_copy(deep=True)

        def call(ctx):  # noqa: ANN001, ANN202 - worker
            from studio.engines.models import manager as model_manager

            return model_manager.use_folder(spec, folder, settings, copy=copy, ctx=ctx), settings

        def done(result: tuple[Path, Settings]) -> None:
            target, chosen = result
            if spec.setting:
                setattr(self.settings.models, spec.setting, getattr(chosen.models, spec.setting))
                self._changed_settings()
                self.refresh()
            text = (self.tr("{name} disalin ke {folder} dan dipakai dari sana.") if copy
                    else self.tr("{name} dipakai dari {folder} (jangan pindahkan folder itu)."))
            self._say("✓ " + text.format(name=spec.name, folder=target), "ok")

        self._run("copy" if copy else "check", call, done)

    def _on_verify(self) -> None:
        st = self.current_status()
        if st is None or not st.locations:
            return
        spec = st.spec
        location = st.best or st.locations[0]
        if location.where == "bundled":
            self._say(self.tr("{name} bawaan aplikasi; disiapkan dan diperiksa saat pertama dipakai.").format(
                name=spec.name), "ok")
            return
        folder = location.path

        def call(ctx):  # noqa: ANN001, ANN202 - worker
            from studio.engines.models import manager as model_manager

            return model_manager.verify_folder(spec, folder, ctx)

        def done(report: Any) -> None:
            lang = i18n.language()
            if report.ok:
                text = self.tr("Utuh: {n} checksum cocok ({folder}).").format(n=report.checked, folder=folder)
                if report.unverifiable:
                    text += " " + self.tr("{n} berkas tanpa checksum yang diketahui hanya diperiksa "
                                          "keberadaannya.").format(n=report.unverifiable)
                self._say("✓ " + text, "ok")
            else:
                self._say("✗ " + self.tr("Rusak atau tidak lengkap:") + " "
                          + " ".join(p.text(lang) for p in report.problems), "bad")

        self._run("verify", call, done)

    def reject(self) -> None:  # noqa: D102 - Esc / the window's close button
        if self.busy:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if self.busy:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)
