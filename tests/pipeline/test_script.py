"""The script step: request from the project, sized to the preset; saved answer and AI-log
record; one-scene rewrites; the live Project is never mutated."""

from __future__ import annotations

import json

import pytest
from llm_server import LlmServer, chat_answer, scenes_json

from studio.core import ailog
from studio.core.errors import UsageError
from studio.core.jobs import JobContext
from studio.core.presets import get_preset
from studio.core.project import Brief, Project, Scene
from studio.core.settings import Settings
from studio.core.storage import create_project
from studio.core.timeline import build_timeline
from studio.engines.llm.openai_compat import OpenAIScriptEngine
from studio.engines.llm.template import TemplateScriptEngine
from studio.pipeline.script import _overhead, build_request, regenerate_scene, speech_window, write_script

FACT = "Di Klaten, weton juga dipakai untuk memilih hari panen."
SECRET = "sk-live-DO-NOT-LOG-1234567890"


@pytest.fixture
def project_root(tmp_path):
    project = Project(brief=Brief(title="Weton: Hitungan Hari Orang Jawa", region="Kabupaten Klaten", theme="weton",
                                  key_facts=[FACT], audience="generasi muda", creator="Sri",
                                  agency="Dinas Kebudayaan Kabupaten Klaten"))
    root = tmp_path / "weton"
    create_project(root, project)
    return project, root


@pytest.mark.parametrize("wpm", [110, 140, 170])
def test_template_script_lands_inside_the_competition_range(project_root, wpm):
    project, root = project_root
    before = project.model_dump()
    outcome = write_script(project, root, TemplateScriptEngine(), JobContext("script"), words_per_minute=wpm)
    assert project.model_dump() == before  # the live project is untouched
    assert 6 <= len(outcome.scenes) <= 10
    assert all(isinstance(s, Scene) and s.source == "template" for s in outcome.scenes)
    assert len({s.id for s in outcome.scenes}) == len(outcome.scenes)
    preset = get_preset(project.preset)
    assert preset.duration.min <= outcome.estimated_seconds <= preset.duration.max
    applied = project.model_copy(update={"scenes": outcome.scenes})
    assert build_timeline(applied, wpm=wpm).duration == pytest.approx(outcome.estimated_seconds, abs=0.05)
    assert any(FACT in s.narration for s in outcome.scenes)


def test_answer_is_saved_and_logged(project_root):
    project, root = project_root
    outcome = write_script(project, root, TemplateScriptEngine(), JobContext("script"), words_per_minute=140)
    assert outcome.path.parent == root / "script" and outcome.path.suffix == ".json"
    doc = json.loads(outcome.path.read_text(encoding="utf-8"))
    assert doc["format"] == "studio.script" and doc["request"]["theme_preset"] == "weton"
    assert [s["narration"] for s in doc["scenes"]] == [s.narration for s in outcome.scenes]
    records = ailog.read(root)
    assert len(records) == 1
    rec = records[0]
    assert (rec.step, rec.action, rec.actor) == ("script", "generate", "tool")
    assert rec.tool == "Penyusun templat Studio Lokal"
    assert rec.outputs[0].path == f"script/{outcome.path.name}"
    assert not list((root / "script").glob("*.part"))


def test_speech_window_keeps_any_scene_count_inside_the_range(project_root):
    project, _root = project_root
    window = speech_window(project)
    d = get_preset(project.preset).duration
    for n in range(6, 11):
        assert _overhead(project, n) + window.min >= d.min
        assert _overhead(project, n) + window.max <= d.max
    assert window.min < window.target < window.max


def test_request_comes_from_the_brief_and_preset(project_root):
    project, _root = project_root
    req = build_request(project, words_per_minute=150)
    assert req.key_facts == (FACT,) and req.theme_preset.id == "weton"
    assert req.word_budget == round(req.target_seconds * 150 / 60)
    assert req.image_style == project.images.style


def test_empty_brief_is_refused(tmp_path):
    with pytest.raises(UsageError) as info:
        write_script(Project(), tmp_path, TemplateScriptEngine(), JobContext("script"), words_per_minute=140)
    assert "brief" in info.value.text("id")


def test_regenerate_scene_keeps_the_others_and_its_id(project_root):
    project, root = project_root
    outcome = write_script(project, root, TemplateScriptEngine(), JobContext("script"), words_per_minute=140)
    project.scenes = outcome.scenes
    target = project.scenes[3]
    first = regenerate_scene(project, root, TemplateScriptEngine(), target.id, JobContext("script"),
                             words_per_minute=140)
    assert first.id == target.id and first.narration != target.narration
    assert first.source == "template" and first.edited is False
    assert [s.narration for s in project.scenes] == [s.narration for s in outcome.scenes]  # not mutated
    project.scenes[3] = first
    second = regenerate_scene(project, root, TemplateScriptEngine(), target.id, JobContext("script"),
                              words_per_minute=140)
    assert second.narration != first.narration  # the next variant, not the same text again
    regen = [r for r in ailog.read(root) if r.action == "regenerate"]
    assert [r.scene_id for r in regen] == [target.id, target.id]
    assert [r.params["variant"] for r in regen] == [1, 2]


def test_llm_script_through_the_pipeline_never_logs_the_key(project_root, monkeypatch):
    project, root = project_root
    monkeypatch.setenv("STUDIO_LLM_API_KEY", SECRET)
    with LlmServer() as srv:
        srv.reply(chat_answer(scenes_json(8, facts=(FACT,))))
        settings = Settings()
        settings.llm.base_url = srv.url
        settings.llm.model = "test-model"
        outcome = write_script(project, root, OpenAIScriptEngine.from_settings(settings), JobContext("script"),
                               words_per_minute=140)
        assert srv.posts()[0].headers["Authorization"] == f"Bearer {SECRET}"
    assert all(s.source == "ai" for s in outcome.scenes)
    rec = ailog.read(root)[-1]
    assert rec.actor == "ai" and rec.model == "test-model / server-model-q4" and rec.prompt
    for path in [root / ailog.LOG_FILE, outcome.path, *root.rglob("*.json")]:
        assert SECRET not in path.read_text(encoding="utf-8")
    doc = json.loads(outcome.path.read_text(encoding="utf-8"))
    assert doc["raw"] == scenes_json(8, facts=(FACT,))


def test_regenerate_one_scene_through_an_llm_keeps_the_others(project_root, monkeypatch):
    project, root = project_root
    monkeypatch.setenv("STUDIO_LLM_API_KEY", SECRET)
    project.scenes = write_script(project, root, TemplateScriptEngine(), JobContext("script"),
                                  words_per_minute=140).scenes
    before = [s.model_dump() for s in project.scenes]
    target = project.scenes[2]
    one = {"scenes": [{"narration": "Di desa, weton dibicarakan bersama keluarga dengan tenang.",
                       "image_prompt": "a Javanese family seen from behind on a porch", "on_screen_text": "Musyawarah",
                       "needs_review": []}]}
    with LlmServer() as srv:
        srv.reply(chat_answer(json.dumps(one)))
        settings = Settings()
        settings.llm.base_url, settings.llm.model = srv.url, "test-model"
        new = regenerate_scene(project, root, OpenAIScriptEngine.from_settings(settings), target.id,
                               JobContext("script"), words_per_minute=140)
        prompt = srv.posts()[0].body["messages"][1]["content"]
    assert new.id == target.id and new.source == "ai" and new.on_screen_text == "Musyawarah"
    assert new.narration == one["scenes"][0]["narration"]
    assert [s.model_dump() for s in project.scenes] == before  # the live project is untouched
    assert f"Rewrite scene 3 of {len(project.scenes)}" in prompt
    assert project.scenes[1].narration in prompt and project.scenes[3].narration in prompt
    rec = ailog.read(root)[-1]
    assert (rec.action, rec.scene_id, rec.actor) == ("regenerate", target.id, "ai")


def test_a_local_model_is_unloaded_when_the_step_ends(project_root, tmp_path):
    from tiny_chat import build_tiny_chat

    from studio.engines.llm.local import LocalChatScriptEngine

    project, root = project_root
    folder = build_tiny_chat(tmp_path / "steered", steer=(
        '{"scenes": [', '{"narration": "Satu kalimat pembuka tentang weton.", "image_prompt": "a calendar"},',
        '{"narration": "Kalimat kedua tentang hari pasaran.", "image_prompt": "a market"},',
        '{"narration": "Kalimat penutup yang mengajak.", "image_prompt": "rice fields"}', "]}"))
    engine = LocalChatScriptEngine(folder)
    outcome = write_script(project, root, engine, JobContext("script"), words_per_minute=140)
    assert len(outcome.scenes) == 3 and not engine.loaded
    write_script(project, root, engine, JobContext("script"), words_per_minute=140, keep_loaded=True)
    assert engine.loaded
    rec = ailog.read(root)[-1]
    assert rec.engine == "script.local" and rec.actor == "ai" and rec.seed == 1234


def test_a_nonsense_brief_is_noticed_and_a_real_one_is_not() -> None:
    """Issue 16 #7: "xyzzy plugh" gets a gentle word; real titles in Indonesian, a regional
    language or English do not."""
    from studio.core.project import Brief, Project
    from studio.pipeline.script import unclear_brief_words

    def odd(title: str, theme: str = "") -> list[str]:
        return unclear_brief_words(Project(brief=Brief(title=title, theme=theme)))

    assert odd("xyzzy plugh", "xyzzy plugh") == ["xyzzy", "plugh"]
    assert odd("asdf hjkl") == ["asdf", "hjkl"]
    for title, theme in (("Weton: Hitungan Hari Lahir Orang Jawa", "weton"), ("Tenun Ikat Sumba", "kerajinan"),
                         ("Angklung dari Saung Udjo", ""), ("Night market Malioboro", ""),
                         ("Sasi laut di Maluku", "sasi laut"), ("HUT RI ke-80 di desa kami", "")):
        assert odd(title, theme) == [], title
