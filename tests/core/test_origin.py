"""The creator's origin declaration (issue 15): model, round trip, load-time checks, AI log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.core import ailog, storage
from studio.core.errors import ProjectFormatError, UsageError
from studio.core.origin import KNOWN_TOOLS, Origin, canonical_tool, made_with_ai, origin_from_choice, own_work
from studio.core.project import ImageAsset, Music, Project, Scene, VoiceAsset


def _project() -> Project:
    return Project(
        script_declared=made_with_ai("chatgpt", "GPT-4o", "Tulis naskah 75 detik tentang tumpeng"),
        scenes=[Scene(id="sc-a", narration="Tumpeng.", image=ImageAsset(
                    path="images/a.png", origin="own", declared=made_with_ai("bing"))),
                Scene(id="sc-b", narration="Nasi kuning.", voice=VoiceAsset(
                    path="voice/b.wav", origin="imported", duration=3.0, declared=own_work()))],
        music=Music(source="imported", path="music/m.mp3", licence="own", declared=made_with_ai("Suno AI")))


def test_known_tools_are_offered_by_name_and_others_typed() -> None:
    for name in ("ChatGPT", "Gemini", "Meta AI", "Copilot / Bing Image Creator", "Canva", "CapCut",
                 "Midjourney", "Leonardo", "ElevenLabs"):
        assert name in KNOWN_TOOLS
        assert canonical_tool(name.upper()) == name
    assert canonical_tool("  bing  ") == "Copilot / Bing Image Creator"
    assert canonical_tool("Ideogram  2") == "Ideogram 2"
    with pytest.raises(UsageError):
        canonical_tool("   ")


def test_labels_say_ai_tool_or_own_work() -> None:
    assert made_with_ai("chatgpt", "GPT-4o").label() == "AI: ChatGPT (GPT-4o)"
    assert made_with_ai("Midjourney", "midjourney v6").label() == "AI: Midjourney (midjourney v6)"
    assert own_work().label("id") == "Karya saya sendiri"
    assert own_work().label("en") == "My own work"


def test_choice_is_one_or_the_other_or_nothing() -> None:
    assert origin_from_choice(None, False) is None
    assert origin_from_choice(None, True) == own_work()
    assert origin_from_choice("gemini", False, model="2.5 Flash").model_dump() == \
        {"kind": "ai", "tool": "Gemini", "model": "2.5 Flash", "prompt": ""}
    with pytest.raises(UsageError):
        origin_from_choice("Gemini", True)


def test_declarations_survive_save_and_load(tmp_path: Path) -> None:
    root = tmp_path / "p"
    original = storage.create_project(root, _project())
    loaded = storage.load_project(root)
    assert loaded.script_declared == original.script_declared
    assert loaded.script_declared.prompt == "Tulis naskah 75 detik tentang tumpeng"
    assert loaded.scenes[0].image.declared == Origin(kind="ai", tool="Copilot / Bing Image Creator")
    assert loaded.scenes[1].voice.declared.kind == "own"
    assert loaded.music.declared.tool == "Suno AI"
    assert not storage.read_project(root).warnings  # known fields, not "unknown field" warnings


@pytest.mark.parametrize(("where", "value", "field"), [
    (("script_declared",), {"kind": "ai", "tool": ""}, "script_declared"),
    (("scenes", 0, "image", "declared"), {"kind": "own", "tool": "ChatGPT"}, "scenes.0.image.declared"),
    (("music", "declared"), {"kind": "ai", "tool": "x" * 500}, "music.declared"),
])
def test_loader_refuses_a_broken_declaration_with_a_sentence(tmp_path: Path, where: tuple, value: dict,
                                                             field: str) -> None:
    root = tmp_path / "p"
    storage.create_project(root, _project())
    raw = json.loads((root / "project.json").read_text(encoding="utf-8"))
    node = raw
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    (root / "project.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ProjectFormatError) as info:
        storage.load_project(root)
    assert field in str(info.value) and str(info.value).endswith(".")


def test_declared_ai_is_its_own_actor_and_counts_as_ai(tmp_path: Path) -> None:
    from studio.pipeline.provenance import log_declared

    log_declared(tmp_path, "script", "import", made_with_ai("ChatGPT", "GPT-4o"), what="naskah.docx")
    log_declared(tmp_path, "images", "import", own_work(), scene_id="sc-a")
    ailog.append(tmp_path, ailog.AiRecord(step="subtitles", action="transcribe", actor="ai",
                                          tool="Whisper (faster-whisper)", model="whisper-base"))
    records = ailog.read(tmp_path)
    assert [r.actor for r in records] == ["declared", "human", "ai"]
    assert "naskah.docx" in records[0].note and "declared by the creator" in records[0].note
    assert "My own work" in records[1].note
    assert ailog.steps_with_ai(records) == {"script", "subtitles"}
    assert ailog.ai_tools(records) == [("Whisper (faster-whisper)", "whisper-base", ["subtitles"])]
    assert ailog.declared_tools(records) == [("ChatGPT", "GPT-4o", ["script"])]
    assert ailog.declared_own_steps(records) == ["images"]
    assert ailog.summary(records) == {"script": "ai", "images": "human", "subtitles": "ai"}
    text = ailog.disclosure_text(records, "id")
    assert text == ("Dibuat dengan bantuan AI: Naskah — ChatGPT, model GPT-4o (dinyatakan pembuat); "
                    "Subtitle — Whisper (faster-whisper), model whisper-base.")
    assert "ChatGPT, model GPT-4o (declared by the creator)" in ailog.disclosure_text(records, "en")


def test_no_declaration_is_logged_as_the_creators_import(tmp_path: Path) -> None:
    from studio.pipeline.provenance import log_declared

    log_declared(tmp_path, "music", "import", None, note="Creator's own music.")
    (rec,) = ailog.read(tmp_path)
    assert rec.actor == "human" and rec.note == "Creator's own music." and "declared" not in rec.params
