"""Streamed answers (server-sent events) from a real HTTP server on 127.0.0.1: progress with the
character count, the partial text, cancel mid-stream, errors and stalls inside a stream; and the
claims a model adds without listing them, flagged for the creator."""

from __future__ import annotations

import json
import time

import pytest
from llm_server import FACT, Reply, chat_answer, scenes_json, sse_answer
from llm_server import script_request as request

from studio.core.errors import EngineFailed
from studio.core.jobs import Cancelled, JobContext, Progress
from studio.core.settings import Settings
from studio.engines.base import DraftScene
from studio.engines.llm.chat import added_claims, flag_added_claims
from studio.engines.llm.openai_compat import OpenAIScriptEngine



@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("STUDIO_LLM_API_KEY", "sk-test-stream-123456")


def make_engine(url: str, *, timeout: float = 10.0, stream: bool = True) -> OpenAIScriptEngine:
    settings = Settings()
    settings.llm.base_url = url
    settings.llm.model = "test-model"
    settings.llm.timeout = timeout
    settings.llm.stream = stream
    return OpenAIScriptEngine.from_settings(settings)


def test_streamed_answer_reports_growing_character_counts(server):
    text = scenes_json(7, facts=(FACT,))
    server.reply(sse_answer(text, pieces=20, event_delay=0.12))
    seen: list[Progress] = []
    engine = make_engine(server.url)
    partials: list[str] = []

    def report(p: Progress) -> None:
        seen.append(p)
        partials.append(engine.partial_text)

    result = engine.write(request(), JobContext("script", report))
    assert server.posts()[0].body["stream"] is True
    assert len(result.scenes) == 7 and result.raw == text
    assert result.provenance.params["streamed"] is True
    assert result.provenance.model == "test-model / server-model-q4"
    counts = [int(p.message.split(": ")[1].split(" ")[0].replace(".", ""))
              for p in seen if p.message.startswith("Model menulis naskah")]
    assert len(counts) >= 3 and counts == sorted(counts) and counts[-1] == len(text)
    # The partial text grew in steps and was always a prefix of the final answer.
    grown = [t for t in partials if t]
    assert any(0 < len(t) < len(text) for t in grown)
    assert all(text.startswith(t) for t in grown)
    fractions = [p.fraction for p in seen if p.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_cancel_mid_stream_stops_at_once_and_hangs_up(server):
    text = scenes_json(7, facts=(FACT,))
    server.reply(sse_answer(text, pieces=60, event_delay=0.15))  # ~9 s if not cancelled
    engine = make_engine(server.url)
    ctx = JobContext("script")

    def report(p: Progress) -> None:
        if len(engine.partial_text) > 200:
            ctx.cancel()

    ctx = JobContext("script", report)
    with pytest.raises(Cancelled):
        engine.write(request(), ctx)
    # It stopped reading as soon as 200 characters had come: the server had sent the events
    # that carry them (after the opening "role" event) and at most a couple more, each 0.15 s
    # apart, not the 63 of the whole answer.
    step = -(-len(text) // 60)
    needed = 1 + 200 // step + 1
    assert server.events_sent <= needed + 2 < 60
    partial = engine.partial_text
    assert 200 < len(partial) < len(text) and text.startswith(partial)
    # The server notices the closed connection at its next write: it stops generating.
    deadline = time.monotonic() + 5
    while server.disconnects == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.disconnects == 1
    assert server.events_sent < 60


def test_streamed_malformed_json_gets_one_corrective_retry(server):
    server.reply(sse_answer('{"scenes": [{"narration": "Satu", "image_prompt": '),
                 sse_answer(scenes_json(6, facts=(FACT,))))
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert len(result.scenes) == 6 and result.provenance.params["attempts"] == 2
    retry = server.posts()[1].body["messages"]
    assert retry[-2]["role"] == "assistant" and retry[-1]["role"] == "user"
    assert "JSON" in retry[-1]["content"]


def test_a_stream_cut_off_by_the_length_limit_keeps_complete_scenes(server):
    full = scenes_json(8, facts=(FACT,))
    cut = full[: full.index('{"narration": "Adegan 8')]
    server.reply(sse_answer(cut, finish_reason="length"))
    result = make_engine(server.url).write(request(), JobContext("script"))
    assert len(result.scenes) == 7
    assert result.provenance.params["finish_reason"] == "length"


def test_error_event_inside_the_stream_is_a_clear_failure(server):
    events = [json.dumps({"choices": [{"index": 0, "delta": {"content": '{"scenes": ['}}]}),
              json.dumps({"error": {"message": "model ran out of memory"}})]
    server.reply(Reply(200, events=events), Reply(200, events=events), Reply(200, events=events))
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url).write(request(), JobContext("script"))
    assert "model ran out of memory" in str(info.value)
    assert "berhenti di tengah jawaban" in info.value.text("id")


def test_a_stream_that_stalls_times_out(server):
    server.reply(sse_answer(scenes_json(6), pieces=4, event_delay=5.0))
    with pytest.raises(EngineFailed) as info:
        make_engine(server.url, timeout=0.4).write(request(), JobContext("script"))
    assert "did not answer within 0.4 seconds" in str(info.value)


def test_server_ignoring_stream_and_streaming_switched_off(server):
    server.reply(chat_answer(scenes_json(6, facts=(FACT,))))
    engine = make_engine(server.url)
    result = engine.write(request(), JobContext("script"))
    assert result.provenance.params["streamed"] is False
    assert engine.partial_text == scenes_json(6, facts=(FACT,))
    server.reply(chat_answer(scenes_json(6, facts=(FACT,))))
    make_engine(server.url, stream=False).write(request(), JobContext("script"))
    assert server.posts()[1].body["stream"] is False
    assert server.posts()[1].headers["Accept"] == "application/json"


def test_streamed_rewrite_of_one_scene(server):
    one = json.dumps({"scenes": [{"narration": "Versi baru adegan ketiga.", "image_prompt": "a calm village",
                                  "on_screen_text": "Baru", "needs_review": []}]})
    server.reply(sse_answer(one, pieces=5))
    drafts = [DraftScene(f"Adegan {i}.", "p") for i in range(5)]
    result = make_engine(server.url).rewrite_scene(request(key_facts=(), target_seconds=6.0), drafts, 2,
                                                   JobContext("script"), variant=2)
    assert [s.narration for s in result.scenes] == ["Versi baru adegan ketiga."]
    assert result.scenes[0].needs_review == ()


# ------------------------------------------------------------------ claims the model added


def test_invented_numbers_and_names_are_flagged_unless_the_brief_has_them():
    sources = ["Weton Kabupaten Klaten", FACT, "Legi, Pahing, Pon, Wage, Kliwon; siklus 35 hari."]
    said = ("Menurut Ki Hajar Dewantara, tradisi ini sudah ada sejak tahun 1745. Di Klaten, siklusnya "
            "35 hari, dan pasaran Legi dihormati. Anda bisa bertanya kepada orang tua di Kabupaten Klaten.")
    assert added_claims(said, sources) == ["1745", "Ki Hajar Dewantara"]
    scenes, flagged = flag_added_claims([DraftScene(said, "p", needs_review=("Tahun 1745",))], sources)
    assert flagged == 1  # 1745 was already listed by the model
    assert scenes[0].needs_review == ("Tahun 1745", "Periksa: Ki Hajar Dewantara (tidak ada di brief)")


def test_llm_script_flags_claims_the_model_did_not_list(server):
    scenes = json.loads(scenes_json(6, facts=(FACT,)))
    scenes["scenes"][2]["narration"] = "Tradisi ini tercatat sejak 1633 oleh Sultan Agung di Mataram."
    server.reply(chat_answer(json.dumps(scenes)))
    result = make_engine(server.url).write(request(), JobContext("script"))
    review = result.scenes[2].needs_review
    assert any("1633" in r for r in review) and any("Sultan Agung" in r for r in review)
    assert any("Mataram" in r for r in review)
    assert result.provenance.params["flagged_claims"] >= 3
    assert "ditandai untuk diperiksa" in result.provenance.note
