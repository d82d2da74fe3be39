"""Pratinjau & Ekspor: optional Content Credentials. The certificate and key are chosen as files
(saved in Settings as paths), checked inline in Indonesian, and the export signs the MP4 with a
CA-issued test certificate; the result shows the signature as read back from the file, and
"Buka laporan PDF" opens the report in the system's viewer."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QDesktopServices
from ui_helpers import click, wait_job

from studio.core.project import Scene
from studio.core.settings import load_settings
from studio.ui import dialogs

pytest.importorskip("c2pa")


def test_signed_export_shows_the_verified_signature_and_opens_the_pdf(window, qtbot, tmp_path,  # noqa: ANN001
                                                                      monkeypatch, shot) -> None:
    from studio.pipeline.export.sign import make_test_credentials, read_credentials

    key = make_test_credentials(tmp_path / "kunci", "Sri Lestari", "Dinas Kebudayaan DIY")
    other = make_test_credentials(tmp_path / "kunci-lain", "Orang Lain")
    w = window
    session = w.session
    start = w.pages["start"]
    folder = tmp_path / "tenun"
    qtbot.keyClicks(start.title_edit, "Tenun Ikat")
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData("free"))
    click(qtbot, start.create_button)
    session.project.brief.region = "Sumba Timur"
    session.project.brief.creator = "Sri Lestari"
    session.project.render.width, session.project.render.height = 360, 640
    session.project.scenes = [Scene(narration="Tenun ikat dibuat dengan tangan.", image_prompt="ikat weaving"),
                              Scene(narration="Motif kuda melambangkan kepahlawanan.", image_prompt="horse motif")]
    session.touch("script")
    for step in ("images", "voice"):
        session.run_step(step)
        assert wait_job(qtbot, w) == "ok"

    w.go("export")
    page = w.pages["export"]
    card = page.signing
    assert card.isVisible() and not card.enabled_check.isChecked() and not card.fields.isVisible()
    click(qtbot, card.enabled_check)
    assert card.fields.isVisible() and card.status.text().startswith("✗ Pilih berkas sertifikat")
    # A key that is not the certificate's: said inline, in Indonesian.
    chosen = iter([key.certificate, other.private_key, key.private_key, key.trust_anchors])
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: next(chosen))
    click(qtbot, card.browse_buttons["certificate"])
    click(qtbot, card.browse_buttons["private_key"])
    assert "Kunci privat bukan pasangan sertifikat" in card.status.text()
    click(qtbot, card.browse_buttons["private_key"])
    click(qtbot, card.browse_buttons["trust_anchors"])
    assert card.status.text() == "✓ Siap: MP4 hasil ekspor akan ditandatangani."
    saved = load_settings().signing
    assert saved.enabled and saved.certificate == str(key.certificate)
    assert saved.private_key == str(key.private_key) and saved.trust_anchors == str(key.trust_anchors)
    shot(w, "40-ekspor-tanda-tangan")

    click(qtbot, page.export_button)
    assert wait_job(qtbot, w, timeout=180_000) == "ok"
    last = session.project.last_export
    assert last is not None
    video = folder / last.video
    read = read_credentials(video, key.trust_anchors)
    assert read is not None and read["validation_state"] == "Trusted" and read["signer"] == "Sri Lestari"
    text = page.result_text.text()
    assert "Content Credentials ditandatangani oleh Sri Lestari (Dinas Kebudayaan DIY)" in text
    assert "sah, penerbitnya dipercaya" in text and "✓ Content Credentials" in text
    # No key material in the bundle (only the public certificate is embedded in the MP4's signature).
    secret = key.private_key.read_bytes().split(b"\n")[1]
    for f in (folder / last.folder).iterdir():
        assert secret not in f.read_bytes(), f.name
    # After the export the card folds to one line naming the files; "Ubah berkas…" opens it again.
    assert not card.fields.isVisible() and card.summary.isVisible()
    assert card.summary.text() == "Sertifikat: signer-chain.pem · kunci: signer-key.pem · CA: test-ca.pem"
    shot(w, "41-ekspor-bertanda-tangan")
    click(qtbot, card.change_button)
    assert card.fields.isVisible() and not card.summary.isVisible()

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    click(qtbot, page.pdf_button)
    assert opened == [str(folder / last.folder / "laporan-ai.pdf")]
    assert (folder / last.folder / "laporan-ai.pdf").read_bytes().startswith(b"%PDF")

    # Read again later (a new session): the verdict comes from the bundle's report.
    session.results.pop("export")
    page.refresh()
    assert "sah, penerbitnya dipercaya" in page.result_text.text()
    # Unticked: the files stay remembered, the next export is unsigned.
    click(qtbot, card.enabled_check)
    assert not card.fields.isVisible() and not card.summary.isVisible() and not card.status.isVisible()
    saved = load_settings().signing
    assert not saved.enabled and saved.certificate == str(key.certificate)
