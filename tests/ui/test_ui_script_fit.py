"""Naskah and Gambar pages. Naskah: a script streamed from a real local OpenAI-compatible server (partial text, a growing
character count, Cancel that leaves the project as it was), and the "Durasi video" card over real
espeak-ng voices that make the video too long (trim advice per scene, gone once the text fits). Gambar: "Perbesar ke ukuran video" is saved with the
project and makes new pictures frame-sized."""

from __future__ import annotations

import re

from llm_server import LlmServer, scenes_json, sse_answer
from ui_helpers import click, wait_job

from studio.core import ailog, storage
from studio.core.project import Scene
from studio.ui import dialogs
from studio.ui.pages.script import FIT_DELAY_MS


def _open(qtbot, w, folder, title: str = "Weton") -> None:  # noqa: ANN001
    start = w.pages["start"]
    qtbot.keyClicks(start.title_edit, title)
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData("ai-local-content-2025"))
    click(qtbot, start.create_button)


def _count(page) -> int:  # noqa: ANN001
    text = page.stream_count.text()
    assert re.fullmatch(r"[\d.]+ karakter( · \d+ karakter/dtk( · sekitar \d+ dtk lagi)?)?", text), text
    return int(text.split()[0].replace(".", ""))


def test_streamed_script_shows_partial_text_and_cancel_changes_nothing(window, qtbot, tmp_path,  # noqa: ANN001
                                                                       monkeypatch, shot) -> None:
    monkeypatch.setenv("STUDIO_LLM_API_KEY", "sk-test-ui-stream-1234")
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)  # "replace the script?" → yes
    w = window
    folder = tmp_path / "weton"
    _open(qtbot, w, folder)
    session = w.session
    session.project.brief.region = "Kabupaten Klaten"
    session.project.brief.theme = "weton"
    session.project.scenes = [Scene(narration="Adegan yang saya tulis sendiri tentang weton.", source="human")]
    session.touch("script")
    assert session.save()
    before = (folder / storage.PROJECT_FILE).read_bytes()
    scenes_before = [s.model_dump() for s in session.project.scenes]

    text = scenes_json(7)
    with LlmServer() as server:
        server.reply(sse_answer(text, pieces=80, event_delay=0.12))  # ~10 s if not cancelled
        settings = session.settings.model_copy(deep=True)
        settings.engines.script = "script.openai"
        settings.llm.base_url = server.url
        settings.llm.model = "test-model"
        settings.llm.stream = True
        session.set_settings(settings)
        w.go("script")
        page = w.pages["script"]
        click(qtbot, page.generate_button)
        assert session.busy and not page.generate_button.isEnabled()
        qtbot.waitUntil(lambda: page.stream_card.isVisible() and page.streamed_chars > 0, timeout=20_000)
        first = _count(page)
        qtbot.waitUntil(lambda: page.streamed_chars > first + 50, timeout=20_000)
        second = _count(page)
        # After a couple of seconds of streaming: the speed and the time left, from the word budget.
        qtbot.waitUntil(lambda: "karakter/dtk" in page.stream_count.text(), timeout=20_000)
        status = page.stream_count.text()
        rate = int(status.split(" · ")[1].split()[0])
        assert 0 < rate < len(text) and "lagi" in status, status
        second = _count(page)
        shown = page.stream_text.toPlainText()
        assert second > first and len(shown) == second
        assert text.startswith(shown) and len(shown) < len(text)  # what the model has written so far
        assert page.stream_cancel.isVisible()
        shot(w, "20-naskah-streaming")
        with qtbot.waitSignal(session.jobEnded, timeout=20_000) as ended:
            click(qtbot, page.stream_cancel)
        assert ended.args == ["script", "cancelled"]
        assert server.posts()[0].body["stream"] is True
    assert not page.stream_card.isVisible() and page.generate_button.isEnabled()
    assert [s.model_dump() for s in session.project.scenes] == scenes_before
    assert (folder / storage.PROJECT_FILE).read_bytes() == before
    assert not [r for r in ailog.read(folder) if r.step == "script" and r.action != "edit"]


def test_fit_card_advises_a_trim_per_scene_and_goes_once_the_text_fits(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "gamelan"
    _open(qtbot, w, folder, "Gamelan")
    session = w.session
    sentence = ("Gamelan dimainkan bersama di pendapa desa setiap malam Jumat oleh para pemuda "
                "yang belajar dari sesepuh kampung dengan sabar dan penuh rasa hormat. ")
    session.project.scenes = [Scene(narration=(sentence * 2).strip(), source="human") for _ in range(6)]
    session.touch("script")
    # Real espeak-ng voices, made through the Suara page.
    w.go("voice")
    click(qtbot, w.pages["voice"].generate_button)
    assert wait_job(qtbot, w) == "ok"
    assert all(s.voice is not None and s.voice.origin == "tts" for s in session.project.scenes)
    assert w.timeline().duration > 90 and not w.timeline().estimated

    w.go("script")
    page = w.pages["script"]
    card = page.fit_card
    assert card.isVisible() and "lebih panjang" in card.status.text()
    trim = next(o for o in card.options if o.kind == "trim")
    assert trim.fits and 60 <= trim.result_seconds <= 90
    assert card.edit_buttons and card.edit_buttons[0].text() == "Tunjukkan adegan"
    hints = {c.scene_id: c.delta for c in trim.changes}
    assert hints and all(d < 0 for d in hints.values())
    for scene_card in page.cards:
        if scene_card.scene_id in hints:
            assert scene_card.fit_hint.isVisible()
            assert scene_card.fit_hint.text() == f"saran: −{-hints[scene_card.scene_id]} kata"
    shot(w, "21-naskah-durasi")

    # "Tunjukkan adegan" puts the cursor in the first scene to trim.
    click(qtbot, card.edit_buttons[0])
    first = next(c for c in page.cards if c.scene_id in hints)
    assert w.focusWidget() is first.narration and first.narration.textCursor().atEnd()
    # Trimming one scene by a few words is not enough: the card stays (with the new numbers).
    one = page.cards[0]
    words = one.narration.toPlainText().split()
    one.narration.setPlainText(" ".join(words[:-3]))
    assert page._fit_timer.isActive()  # the card follows the text after a pause in typing
    qtbot.waitUntil(lambda: not page._fit_timer.isActive(), timeout=FIT_DELAY_MS * 10)
    assert card.isVisible() and "perkiraan" in card.status.text()
    # Trimming every scene as advised (plus a few words for safety) fits the range: card and hints go.
    trim = next(o for o in card.options if o.kind == "trim")
    cuts = {c.scene_id: -c.delta for c in trim.changes}
    for scene_card in page.cards:
        words = scene_card.narration.toPlainText().split()
        scene_card.narration.setPlainText(" ".join(words[:len(words) - cuts.get(scene_card.scene_id, 0) - 1]))
    assert card.isVisible()  # not yet: the proposal is recomputed after a pause in typing
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=FIT_DELAY_MS * 5)
    assert not any(c.fit_hint.isVisible() for c in page.cards)
    # The page's total follows the edited text too (an estimate until the voices are made again).
    assert page.total_label.text().startswith("Total ≈ ") and 60 <= page.timeline().duration <= 90
    assert page.readiness()[0]


def test_a_model_script_still_too_short_after_the_second_ask_is_warned_in_the_duration_card(  # noqa: ANN001
        window, qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STUDIO_LLM_API_KEY", "sk-test-ui-short-1234")
    w = window
    folder = tmp_path / "weton-short"
    _open(qtbot, w, folder)
    session = w.session
    session.project.brief.region = "Kabupaten Klaten"
    session.project.brief.theme = "weton"
    with LlmServer() as server:
        # Both answers read about half a minute: the model was asked once more and still missed.
        server.reply(sse_answer(scenes_json(6)), sse_answer(scenes_json(7)))
        settings = session.settings.model_copy(deep=True)
        settings.engines.script = "script.openai"
        settings.llm.base_url, settings.llm.model, settings.llm.stream = server.url, "test-model", True
        session.set_settings(settings)
        w.go("script")
        page = w.pages["script"]
        click(qtbot, page.generate_button)
        assert wait_job(qtbot, w) == "ok"
        assert len(server.posts()) == 2
        assert "reads about" in server.posts()[1].body["messages"][-1]["content"]
    assert len(session.project.scenes) == 7  # the closer of the two answers
    card = page.fit_card
    qtbot.waitUntil(card.isVisible, timeout=FIT_DELAY_MS * 10)
    assert "lebih pendek" in card.status.text() and "perkiraan" in card.status.text()
    assert any(o.kind == "extend" for o in card.options)
    # Once the creator edits the text, the page's own total is the estimate and the card steps back.
    page.cards[0].narration.setPlainText(page.cards[0].narration.toPlainText() + " Tambahan.")
    qtbot.waitUntil(lambda: not card.isVisible(), timeout=FIT_DELAY_MS * 10)


def test_upscale_option_is_saved_and_new_pictures_fill_the_frame(window, qtbot, tmp_path, monkeypatch,  # noqa: ANN001
                                                                 shot) -> None:
    from dataclasses import replace

    from PIL import Image

    from studio.engines.image.placeholder import PlaceholderImageEngine

    # The placeholder draws exactly the size asked; a diffusion model draws smaller than the
    # frame (512 px wide): ask the real placeholder for half the frame, as such a model would.
    draw = PlaceholderImageEngine.generate
    monkeypatch.setattr(PlaceholderImageEngine, "generate",
                        lambda self, request, out, ctx: draw(self, replace(request, width=request.width // 2,
                                                                           height=request.height // 2), out, ctx))
    w = window
    folder = tmp_path / "batik"
    _open(qtbot, w, folder, "Batik")
    session = w.session
    session.project.scenes = [Scene(narration="Batik tulis dibuat dengan canting.", image_prompt="batik canting"),
                              Scene(narration="Malam panas menahan warna.", image_prompt="hot wax on cloth")]
    session.touch("script")
    frame = (session.project.render.width, session.project.render.height)
    w.go("images")
    page = w.pages["images"]
    assert not page.upscale_check.isChecked()
    # Without the option: the picture keeps the size the engine drew.
    click(qtbot, page.generate_button)
    assert wait_job(qtbot, w) == "ok"
    first = session.project.scenes[0].image
    assert (first.width, first.height) == (frame[0] // 2, frame[1] // 2)
    # With it: saved in the project, and new pictures are enlarged to the frame (the log says how).
    click(qtbot, page.upscale_check)
    assert session.project.images.upscale is True
    assert session.save() and storage.read_project(folder).project.images.upscale is True
    click(qtbot, page.cards[1].regenerate_button)
    assert wait_job(qtbot, w) == "ok"
    second = session.project.scenes[1].image
    assert (second.width, second.height) == frame
    with Image.open(folder / second.path) as img:
        assert img.size == frame
    assert session.project.scenes[0].image == first  # only the scene asked for was made again
    record = [r for r in ailog.read(folder) if r.step == "images" and r.scene_id == session.project.scenes[1].id][-1]
    assert record.action == "regenerate"
    assert "Diperbesar" in record.note and "tanpa AI" in record.note
    qtbot.waitUntil(lambda: page.cards[1].safety.isVisible(), timeout=2000)  # shown on the next event-loop turn
    assert page.cards[1].safety.text().startswith("⤢ Diperbesar dari 540×960 ke 1080×1920")
    assert not page.cards[0].safety.isVisible()
    # Both pictures are drawn in their cards (decoded off the GUI thread).
    qtbot.waitUntil(lambda: all(c.picture.pixmap() is not None and not c.picture.pixmap().isNull()
                                for c in page.cards), timeout=10_000)
    page.scroll.verticalScrollBar().setValue(0)
    shot(w, "22-gambar")
    # Unticked again: saved too.
    click(qtbot, page.upscale_check)
    assert session.save() and storage.read_project(folder).project.images.upscale is False
