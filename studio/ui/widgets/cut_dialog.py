""""Potong rekaman panjang…": one long recording cut into scenes (issue 15 item 2).

The dialog runs ``pipeline.media.shots.suggest_cuts`` as a session task (its own
progress bar and Batal button: the window's job bar sits behind the dialog), shows the
suggested cut points as an editable list (type seconds as 12,5 or 1:05,5; add, remove),
shows the parts and the scene each goes on as the list changes, and applies
``pipeline.images.cut.cut_into_scenes`` as a second task with the creator's declaration.
Cut points the pipeline would refuse are refused here with the same sentence, before
anything runs, so the project is unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.ui import i18n
from studio.ui.widgets.common import button, label, set_tone
from studio.ui.widgets.origin import OriginPicker


def seconds_text(t: float) -> str:
    """Seconds as the creator reads them: ``12,50`` or ``1:05,50`` (Indonesian decimal comma)."""
    minutes, rest = divmod(round(t, 2), 60)
    text = f"{int(minutes)}:{rest:05.2f}" if minutes else f"{rest:.2f}"
    return text.replace(".", ",") if i18n.language() == "id" else text


def parse_seconds(text: str) -> float | None:
    """``12,5``, ``12.5``, ``1:05,5`` as seconds; None for anything else."""
    parts = text.strip().replace(",", ".").split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip() for p in parts):
        return None
    try:
        value = 0.0
        for part in parts:
            value = value * 60 + float(part)
    except ValueError:
        return None
    return value if value >= 0 and value != float("inf") else None


class CutDialog(QDialog):
    """Suggest, edit and apply the cut points of one long clip ``src`` for ``session``'s project."""

    def __init__(self, session: Any, src: Path, parent: QWidget | None = None) -> None:  # noqa: ANN401
        super().__init__(parent)
        self.session = session
        self.src = Path(src)
        self.duration = 0.0
        self.setWindowTitle(self.tr("Potong rekaman panjang"))
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)
        self.head = label(self.tr("{name}: mencari pergantian gambar…").format(name=self.src.name))
        self.head.setWordWrap(True)
        lay.addWidget(self.head)
        row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        row.addWidget(self.progress, 1)
        self.cancel_button = button(self.tr("Batal"), slot=self._on_cancel)
        row.addWidget(self.cancel_button)
        lay.addLayout(row)
        lay.addWidget(label(self.tr("Titik potong (detik; klik dua kali untuk mengubah)"), "muted"))
        self.points = QListWidget()
        self.points.itemChanged.connect(lambda _item: self._update_plan())
        lay.addWidget(self.points, 1)
        edit = QHBoxLayout()
        self.add_button = button(self.tr("Tambah titik"), slot=self._on_add)
        self.remove_button = button(self.tr("Hapus titik"), slot=self._on_remove)
        edit.addWidget(self.add_button)
        edit.addWidget(self.remove_button)
        edit.addStretch(1)
        lay.addLayout(edit)
        self.plan = label(role="muted")
        self.plan.setWordWrap(True)
        lay.addWidget(self.plan)
        self.problem = label()
        self.problem.setWordWrap(True)
        set_tone(self.problem, "bad")
        lay.addWidget(self.problem)
        self.origin = OriginPicker()
        lay.addWidget(self.origin)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.close_button = button(self.tr("Tutup"), slot=self.reject)
        self.apply_button = button(self.tr("Potong ke adegan"), "primary", slot=self._on_apply)
        actions.addWidget(self.close_button)
        actions.addWidget(self.apply_button)
        lay.addLayout(actions)
        self._editing(False)
        self.runner = None

    # ------------------------------------------------------------------ suggest

    def start(self) -> bool:
        """Probe the file and start looking for shot changes; False (with the sentence shown) if it cannot."""
        from studio.pipeline.media.video import probe_clip

        try:
            self.duration = probe_clip(self.src).duration
        except StudioError as exc:
            self._fail(exc)
            return False
        src = self.src

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.media.shots import suggest_cuts

            return suggest_cuts(src, ctx)

        self.runner = self.session.run_task("import", call, self._on_suggested, save=False)
        if self.runner is None:
            self._editing(True)
            return False
        self.runner.progressed.connect(self._on_progress)
        self.runner.failed.connect(self._fail)
        self.runner.cancelled.connect(lambda _exc: self._done_looking(self.tr("Pencarian dibatalkan; tambahkan "
                                                                              "titik potong sendiri.")))
        return True

    def _on_progress(self, p: Any) -> None:  # noqa: ANN401 - core.jobs.Progress
        frac = p.fraction
        if frac is not None:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(frac * 1000))

    def _on_suggested(self, _project: Any, cuts: list[float]) -> None:  # noqa: ANN401
        self.set_points(cuts)
        self._done_looking(self.tr("{name}: {n} pergantian gambar ditemukan. Periksa, ubah bila perlu, lalu "
                                   "potong.").format(name=self.src.name, n=len(cuts)))

    def _done_looking(self, text: str) -> None:
        self.runner = None
        self.head.setText(text)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        self._editing(True)

    def _fail(self, exc: BaseException) -> None:
        from studio.ui import dialogs

        self.runner = None
        self.problem.setText(dialogs.error_message(exc))
        self.progress.setRange(0, 1)
        self.cancel_button.setEnabled(False)
        self._editing(isinstance(exc, StudioError) and self.duration > 0)

    def _on_cancel(self) -> None:
        if self.runner is not None:
            self.session.cancel()

    # ------------------------------------------------------------------ edit

    def _editing(self, on: bool) -> None:
        for w in (self.points, self.add_button, self.remove_button, self.apply_button):
            w.setEnabled(on)

    def set_points(self, cuts: list[float]) -> None:
        self.points.blockSignals(True)
        self.points.clear()
        for t in cuts:
            self._add_item(t)
        self.points.blockSignals(False)
        self._update_plan()

    def _add_item(self, t: float) -> QListWidgetItem:
        item = QListWidgetItem(seconds_text(t))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.points.addItem(item)
        return item

    def values(self) -> list[float] | None:
        """The cut points in the list (in list order), or None when one is not a time."""
        out = []
        for i in range(self.points.count()):
            t = parse_seconds(self.points.item(i).text())
            if t is None:
                return None
            out.append(t)
        return out

    def _on_add(self) -> None:
        """A new point in the middle of the longest part (the creator then adjusts it)."""
        from studio.pipeline.media.shots import segments

        at = sorted(self.values() or [])
        a, b = max(segments(at, self.duration), key=lambda p: p[1] - p[0])
        self.set_points(sorted([*at, round((a + b) / 2, 2)]))

    def _on_remove(self) -> None:
        row = self.points.currentRow()
        if row < 0:
            row = self.points.count() - 1
        if row >= 0:
            self.points.takeItem(row)
            self._update_plan()

    def check(self) -> tuple[list[tuple[float, float]] | None, str]:
        """The parts the list makes, or None and the sentence saying why it cannot be cut so."""
        from studio.pipeline.images.cut import check_cuts

        at = self.values()
        if at is None:
            return None, self.tr("Setiap titik potong ditulis dalam detik, misalnya 12,5 atau 1:05,5.")
        try:
            return check_cuts(at, self.duration, len(self.session.project.scenes), self.src.name), ""
        except StudioError as exc:
            return None, exc.text(i18n.language()) if hasattr(exc, "text") else str(exc)

    def _update_plan(self) -> None:
        parts, problem = self.check()
        self.problem.setText(problem)
        if parts is None:
            self.plan.setText("")
        else:
            lines = [self.tr("Bagian {n}: {a}–{b} dtk → Adegan {n}").format(
                n=k, a=seconds_text(a), b=seconds_text(b)) for k, (a, b) in enumerate(parts, start=1)]
            self.plan.setText("\n".join(lines))
        self.apply_button.setEnabled(parts is not None and self.runner is None)

    # ------------------------------------------------------------------ apply

    def _on_apply(self) -> None:
        parts, problem = self.check()
        if parts is None:
            self.problem.setText(problem)
            return
        at, src, declared = self.values() or [], self.src, self.origin.value()
        session = self.session

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.images.cut import cut_into_scenes

            result = cut_into_scenes(snapshot, root, src, at, ctx, declared=declared)
            return [s.id for s in snapshot.scenes[:len(result.clips)]], result

        def apply(project, done) -> None:  # noqa: ANN001
            ids, result = done
            for scene_id, clip in zip(ids, result.clips):
                project.scene(scene_id).clip = clip
            for warning in result.warnings:
                session.message.emit(warning)

        self.runner = session.run_task("import", call, apply)
        if self.runner is None:
            return
        self._editing(False)
        self.head.setText(self.tr("Memotong {name} ke {n} adegan…").format(name=self.src.name, n=len(parts)))
        self.progress.setRange(0, 0)
        self.runner.succeeded.connect(lambda _r: self.accept())
        self.runner.failed.connect(self._fail)
        self.runner.cancelled.connect(lambda _e: self._done_looking(self.tr("Pemotongan dibatalkan.")))


__all__ = ["CutDialog", "parse_seconds", "seconds_text"]
