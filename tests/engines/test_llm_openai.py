"""The OpenAI-compatible script client against a real HTTP server on 127.0.0.1, and the
JSON repair it relies on (llm_json)."""

from __future__ import annotations

import json
import threading

import pytest
from llm_server import FACT, Reply, chat_answer, closed_port_url, scenes_json, script_request

from studio.core.errors import EngineFailed, EngineUnavailable, StudioError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.engines.base import DraftScene, ScriptRequest
from studio.engines.llm.scene_json import (
    ScriptJsonError,
    coerce_scenes,
    extract_json,
    fact_present,
    missing_facts,
    parse_scenes,
)
from studio.engines.llm.openai_compat import OpenAIScriptEngine

SECRET = "sk-test-SECRET-9f8e7d6c5b4a"


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("STUDIO_LLM_API_KEY", SECRET)
    return SECRET


def make_engine(url: str, *, timeout: float = 10.0, waits: list[float] | None = None) -> OpenAIScriptEngine:
    settings = Settings()
    settings.llm.base_url = url
    settings.llm.model = "test-model"
    settings.llm.timeout = timeout
    settings.llm.temperature = 0.4
    engine = OpenAIScriptEngine.from_settings(settings)
    if waits is not None:
        engine._wait = lambda seconds, ctx: waits.append(seconds)  # record instead of sleeping
    return engine


def request(**over) -> ScriptRequest:
    return script_request(**{"agency": "Dinas Kebudayaan Kabupaten Klaten", **over})




# ------------------------------------------------------------------ normal answers


def test_normal_answer_sends_key_json_mode_and_prompt(server, key):
    server.reply(chat_answer(scenes_json(7, facts=(FACT,))))
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert len(result.scenes) == 7
    assert all(s.narration and s.image_prompt for s in result.scenes)
    sent = server.posts()[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["Authorization"] == f"Bearer {SECRET}"
    assert sent.body["model"] == "test-model"
    schema = sent.body["response_format"]
    assert schema["type"] == "json_schema" and schema["json_schema"]["name"] == "script"
    scenes = schema["json_schema"]["schema"]["properties"]["scenes"]
    assert scenes["items"]["required"] == ["narration", "image_prompt", "on_screen_text", "needs_review"]
    assert (scenes["minItems"], scenes["maxItems"]) == (3, 15)
    assert sent.body["messages"][0]["role"] == "system"
    user = sent.body["messages"][1]["content"]
    assert FACT in user and "Kabupaten Klaten" in user and "Legi" in user  # theme guidance included
    prov = result.provenance
    assert prov.is_ai and prov.tool == "LLM (OpenAI-compatible)"
    assert prov.model == "test-model / server-model-q4"
    assert prov.params["server"].startswith("127.0.0.1:")
    assert prov.prompt == user
    # The key never leaves the Authorization header.
    assert SECRET not in repr(result) and SECRET not in json.dumps(dict(prov.params))


def test_answer_in_code_fences_after_think_block(server, key):
    text = "<think>Let me plan the scenes first.</think>\nHere is the script:\n```json\n" + \
        scenes_json(6, facts=(FACT,)) + "\n```\nSemoga membantu!"
    server.reply(chat_answer(text))
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert len(result.scenes) == 6
    assert result.raw == text


def test_malformed_json_then_good_answer_on_corrective_retry(server, key):
    server.reply(chat_answer('Berikut naskahnya: {"scenes": [{"narration": "Satu" "image_prompt": }'),
                 chat_answer(scenes_json(6, facts=(FACT,))))
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert len(result.scenes) == 6
    posts = server.posts()
    assert len(posts) == 2
    retry = posts[1].body["messages"]
    assert retry[-2]["role"] == "assistant" and retry[-1]["role"] == "user"
    assert "JSON" in retry[-1]["content"]
    assert result.provenance.params["attempts"] == 2


def test_malformed_twice_fails_with_actionable_message(server, key):
    server.reply(chat_answer("Tidak ada JSON di sini."), chat_answer("Masih tidak ada."))
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    assert "test-model" in str(info.value) and "model" in info.value.text("id")
    assert len(server.posts()) == 2


def test_missing_key_fact_is_inserted_and_noted(server, key):
    server.reply(chat_answer(scenes_json(6)))  # the model ignores the fact
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert sum(FACT in s.narration for s in result.scenes) == 1
    assert FACT in result.provenance.note


def test_too_many_scenes_are_clipped_to_ten(server, key):
    server.reply(chat_answer(scenes_json(12, facts=(FACT,))))
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert len(result.scenes) == 10


def test_server_rejecting_response_format_steps_down_and_remembers(server, key):
    server.reply(Reply(400, {"error": {"message": "Unknown response_format type: json_schema"}}),
                 Reply(400, {"error": {"message": "'response_format.type' must be 'json_schema' or 'text'"}}),
                 chat_answer(scenes_json(6, facts=(FACT,))))
    engine = make_engine(server.url)
    result = engine.write(request(), JobContext("script"))
    posts = server.posts()
    assert [p.body.get("response_format", {}).get("type") for p in posts] == ["json_schema", "json_object", None]
    assert result.provenance.params["json_mode"] == "off"
    server.reply(chat_answer(scenes_json(6, facts=(FACT,))))
    engine.write(request(), JobContext("script"))
    assert "response_format" not in server.posts()[3].body  # remembered


def test_rewrite_one_scene_between_neighbours(server, key):
    server.reply(chat_answer(json.dumps({"scenes": [{"narration": "Versi baru adegan ketiga.",
                                                      "image_prompt": "a calm village", "on_screen_text": "Baru"}]})))
    drafts = [DraftScene(f"Adegan {i}.", "p") for i in range(5)]
    result = make_engine(server.url).rewrite_scene(request(key_facts=(), target_seconds=6.0), drafts, 2,
                                                   JobContext("script"), variant=2)
    assert [s.narration for s in result.scenes] == ["Versi baru adegan ketiga."]
    prompt = server.posts()[0].body["messages"][1]["content"]
    assert "Rewrite scene 3 of 5" in prompt and "Adegan 1." in prompt and "Adegan 3." in prompt


# ------------------------------------------------------------------ refusals and HTTP errors


@pytest.mark.parametrize("answer", [
    chat_answer("I'm sorry, but I can't help with that request."),
    chat_answer("", finish_reason="content_filter"),
    chat_answer("", refusal="I cannot write this."),
])
def test_refusal_is_reported_not_retried_as_json(server, key, answer):
    server.reply(answer)
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    assert "declined" in str(info.value) and "menolak" in info.value.text("id")
    assert len(server.posts()) == 1


def test_401_names_the_environment_variable_and_never_the_key(server, key):
    masked = SECRET[:8] + "*" * 10 + SECRET[-4:]
    server.reply(Reply(401, {"error": {"message": f"Incorrect API key provided: {masked}. Yours: {SECRET}"}}))
    with pytest.raises(EngineUnavailable) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    err = info.value
    assert "STUDIO_LLM_API_KEY" in str(err) and "STUDIO_LLM_API_KEY" in err.text("id")
    assert "refused the API key" in str(err)
    everything = str(err) + err.text("id") + err.details
    assert SECRET not in everything and masked not in everything and SECRET[-4:] not in everything


def test_401_without_a_key_says_one_is_needed(server, monkeypatch):
    for var in ("STUDIO_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    server.reply(Reply(401, {"error": "unauthorized"}))
    with pytest.raises(EngineUnavailable) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    assert "needs an API key" in str(info.value)
    assert "Authorization" not in server.posts()[0].headers


def test_429_honours_retry_after_then_succeeds(server, key):
    waits: list[float] = []
    server.reply(Reply(429, {"error": {"message": "Rate limit"}}, headers={"Retry-After": "1"}),
                 chat_answer(scenes_json(6, facts=(FACT,))))
    result = make_engine(server.url, waits=waits).write(request(), JobContext("script"))
    assert len(result.scenes) == 6
    assert waits == [1.0]
    assert len(server.posts()) == 2


def test_429_retries_are_bounded(server, key):
    waits: list[float] = []
    server.reply(*[Reply(429, {"error": "slow down"}, headers={"Retry-After": "2"}) for _ in range(5)])
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url, waits=waits).write(request(), JobContext("script"))
    assert "429" in str(info.value)
    assert len(server.posts()) == 3 and sum(waits) == 4.0  # two waits of 2 s, slept a second at a time


def test_a_queueing_503_is_waited_out_past_the_retry_count_within_the_room_budget(server, key):
    # A room's server with a full queue answers 503 + Retry-After: the participant keeps
    # waiting as long as the queue keeps answering (a 429 above stops after two retries).
    waits: list[float] = []
    busy = [Reply(503, {"error": "queue full"}, headers={"Retry-After": "2"}) for _ in range(5)]
    server.reply(*busy, chat_answer(scenes_json(6, facts=(FACT,))))
    result = make_engine(server.url, waits=waits).write(request(), JobContext("script"))
    assert len(result.scenes) == 6
    assert sum(waits) == 10.0 and len(server.posts()) == 6


def test_429_with_a_long_retry_after_fails_at_once_saying_how_long(server, key):
    server.reply(Reply(429, {"error": "quota"}, headers={"Retry-After": "3600"}))
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url, waits=[]).write(request(), JobContext("script"))
    assert "3600 seconds" in str(info.value)
    assert len(server.posts()) == 1


def test_5xx_is_retried_then_succeeds(server, key):
    waits: list[float] = []
    server.reply(Reply(503, {"error": "loading model"}), chat_answer(scenes_json(6, facts=(FACT,))))
    make_engine(server.url, waits=waits).write(request(), JobContext("script"))
    assert len(server.posts()) == 2 and 0.8 <= sum(waits) <= 1.2  # one backoff of 1 s ± jitter


def test_404_model_not_found(server, key):
    server.reply(Reply(404, {"error": {"message": "model 'test-model' not found, try pulling it first"}}))
    with pytest.raises(EngineUnavailable) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    assert "ollama pull test-model" in str(info.value)


def test_timeout_on_a_hanging_server(server, key):
    server.reply(Reply(200, b"{}", delay=30))
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url, timeout=0.3).write(request(), JobContext("script"))
    assert "did not answer" in str(info.value) and server.url in str(info.value)
    assert "Ollama/LM Studio" in str(info.value)


def test_connection_refused_asks_whether_the_server_runs(key):
    url = closed_port_url()
    with pytest.raises(EngineUnavailable) as info:
        make_engine(url).write(request(), JobContext("script"))
    assert f"Is Ollama/LM Studio running at {url}?" in str(info.value)
    assert "Ollama/LM Studio" in info.value.text("id")


def test_cancel_while_the_server_is_still_thinking(server, key):
    server.reply(Reply(200, b"{}", delay=30))
    ctx = JobContext("script")
    threading.Timer(0.3, ctx.cancel).start()
    with pytest.raises(Cancelled):
        make_engine(server.url, timeout=60).write(request(), ctx)


def test_wrong_path_answer_is_not_chat_completions(server, key):
    server.reply(Reply(200, "<html><body>Welcome to nginx</body></html>"))
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    assert "/v1" in str(info.value)


# ------------------------------------------------------------------ preflight and ping


def test_preflight_is_cheap_and_says_what_is_missing(monkeypatch):
    for var in ("STUDIO_LLM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    assert OpenAIScriptEngine("http://127.0.0.1:9/v1", "qwen2.5:7b").preflight() == []
    problems = OpenAIScriptEngine("", "").preflight()
    assert len(problems) == 2 and all(p.text("id") != str(p) for p in problems)
    remote = OpenAIScriptEngine("https://api.openai.com/v1", "gpt-4o-mini").preflight()
    assert len(remote) == 1 and "STUDIO_LLM_API_KEY" in remote[0]
    assert OpenAIScriptEngine("ftp://x", "m").preflight()[0].startswith("The LLM server address")


def test_ping_lists_models(server, key):
    engine = make_engine(server.url)
    assert engine.ping() == []
    assert server.seen[-1].path == "/v1/models"
    assert server.seen[-1].headers["Authorization"] == f"Bearer {SECRET}"
    server.models = ["llama3.2:3b"]
    problems = engine.ping()
    assert len(problems) == 1 and "llama3.2:3b" in problems[0] and "test-model" in problems[0]


def test_ping_on_a_closed_port_is_a_problem_not_an_exception():
    problems = make_engine(closed_port_url()).ping(timeout=1)
    assert len(problems) == 1 and "Ollama/LM Studio" in problems[0]


# ------------------------------------------------------------------ llm_json repair


SCENE = {"narration": "Satu.", "image_prompt": "a", "on_screen_text": "x", "needs_review": []}


def test_extract_json_strips_fences_think_and_trailing_commas():
    text = '<think>\nhmm {not json}\n</think>\n```json\n{"scenes": [{"narration": "A",},],}\n```'
    assert extract_json(text) == {"scenes": [{"narration": "A"}]}


def test_extract_json_takes_the_first_object_in_prose():
    assert extract_json('Tentu! {"a": 1} dan {"b": 2}') == {"a": 1}


def test_truncated_answer_keeps_the_complete_scenes():
    full = json.dumps({"scenes": [dict(SCENE, narration=f"Adegan {i}.") for i in range(5)]})
    cut = full[: full.index("Adegan 4") + 3]  # cut inside the fifth scene
    scenes = parse_scenes(cut)
    assert [s.narration for s in scenes] == ["Adegan 0.", "Adegan 1.", "Adegan 2.", "Adegan 3."]


def test_bare_list_and_field_aliases_are_accepted():
    data = [{"text": "Narasi satu.", "prompt": "a village", "caption": "Judul", "review": "Tahun 1850"},
            {"Narasi": "Narasi dua.", "visual": "a market", "title": "Dua"},
            {"voice-over": "Narasi tiga.", "image description": "a field"}]
    scenes = coerce_scenes(data)
    assert [s.narration for s in scenes] == ["Narasi satu.", "Narasi dua.", "Narasi tiga."]
    assert scenes[0].image_prompt == "a village" and scenes[0].on_screen_text == "Judul"
    assert scenes[0].needs_review == ("Tahun 1850",)
    assert scenes[2].image_prompt == "a field"


def test_nested_and_renamed_scene_lists():
    assert len(coerce_scenes({"script": {"scenes": [SCENE, SCENE, SCENE]}})) == 3
    assert len(coerce_scenes({"adegan": [SCENE] * 4})) == 4


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("no json here", "no JSON"),
    ('{"scenes": [{"narration": "A"}, {"narration": "B"}]}', "at least 3"),
    ('{"scenes": [{"narration": "A"}, {"narration": ""}, {"narration": "C"}]}', "no narration"),
    (json.dumps({"scenes": [SCENE] * 16}), "at most 15"),
    ('{"title": "x"}', "scenes"),
])
def test_unusable_answers_give_a_reason_for_the_model(text, reason):
    with pytest.raises(ScriptJsonError) as info:
        parse_scenes(text)
    assert reason in str(info.value)


def test_fact_matching_is_verbatim_or_nearly():
    fact = "Neptu Jumat Kliwon adalah 14, jumlah dari enam dan delapan."
    assert fact_present(fact, "Tahukah Anda? neptu jumat kliwon adalah 14 — jumlah dari enam dan delapan!")
    near = "Neptu Jumat Kliwon ialah 14, jumlah dari enam dan delapan."
    assert fact_present(fact, near)
    assert not fact_present(fact, "Neptu Jumat Kliwon adalah 15, jumlah dari enam dan sembilan.")
    assert not fact_present(fact, "Weton dipakai untuk memilih hari baik.")
    assert missing_facts([fact, "Pasar Legi ramai."], [near]) == ["Pasar Legi ramai."]


def test_errors_are_studio_errors_with_two_languages(server, key):
    server.reply(Reply(500, {"error": "boom"}), Reply(500, {"error": "boom"}), Reply(500, {"error": "boom"}))
    with pytest.raises(StudioError) as info:
        make_engine(server.url, waits=[]).write(request(), JobContext("script"))
    assert info.value.text("id") != str(info.value)
