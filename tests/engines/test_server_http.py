"""ServerClient's patience against a real HTTP server on 127.0.0.1 (tests/llm_server.py).

A room's server (Ollama, vLLM, LocalAI, a gateway) that is full answers 503 with
Retry-After. As long as it keeps answering, a participant keeps waiting: the
``max_wait`` budget counts only time without progress, ``max_total`` caps it all,
and a cancel ends the wait at once.
"""

from __future__ import annotations

import threading
import time

import pytest
from llm_server import LlmServer, Reply

from studio.core.errors import EngineFailed
from studio.core.jobs import Cancelled, JobContext
from studio.engines.support.server_http import ServerClient

QUEUE_FULL = {"error": {"message": "Server busy, try again later", "type": "server_busy"}}


@pytest.fixture
def server():
    with LlmServer() as srv:
        yield srv


def client(url: str, slept: list[float], **over) -> ServerClient:
    return ServerClient(url, **{"max_retries": 1, "max_wait": 2.5, "sleep": lambda s, ctx: slept.append(s),
                                **over})


def test_a_queue_that_keeps_answering_is_waited_on_past_max_wait_and_the_retry_count(server):
    slept: list[float] = []
    server.reply(*[Reply(503, QUEUE_FULL, headers={"Retry-After": "1"}) for _ in range(6)],
                 Reply(200, {"object": "list", "data": []}))
    notes: list[str] = []
    c = client(server.url, slept)
    resp = c.request("POST", "/audio/speech", body=b"{}", ctx=JobContext("voice", lambda p: notes.append(p.message)))
    assert resp.status == 200
    assert c.retries == 6 and c.waited == 6.0 and sum(slept) == 6.0  # 6 s > max_wait 2.5, 6 > max_retries 1
    assert len(server.posts()) == 7 and "Server sibuk, menunggu 1 dtk · sudah menunggu 5 dtk" in notes


def test_an_endless_queue_still_ends_at_the_absolute_cap_with_a_sentence(server):
    slept: list[float] = []
    server.reply(*[Reply(503, QUEUE_FULL, headers={"Retry-After": "1"}) for _ in range(10)])
    c = client(server.url, slept, max_total=3.0)
    with pytest.raises(EngineFailed) as err:
        c.request("POST", "/chat/completions", body=b"{}")
    assert len(server.posts()) == 4 and sum(slept) == 3.0
    assert "masih sibuk (HTTP 503) setelah menunggu 3 detik" in err.value.message_id


def test_busy_answers_without_retry_after_are_bounded_by_the_budget_without_progress(server):
    slept: list[float] = []
    server.reply(*[Reply(503, QUEUE_FULL) for _ in range(5)])
    c = client(server.url, slept, max_retries=10)
    with pytest.raises(EngineFailed):
        c.request("POST", "/chat/completions", body=b"{}")
    # backoff 1 s then 2 s (± 20 %): the second would pass 2.5 s without a sign of progress
    assert len(server.posts()) == 2 and 0.8 <= sum(slept) <= 1.2


def test_a_429_quota_stays_bounded_by_the_retry_count(server):
    slept: list[float] = []
    server.reply(*[Reply(429, {"error": "quota"}, headers={"Retry-After": "1"}) for _ in range(5)])
    with pytest.raises(EngineFailed):
        client(server.url, slept).request("POST", "/chat/completions", body=b"{}")
    assert len(server.posts()) == 2 and sum(slept) == 1.0


def test_cancel_ends_a_long_wait_for_a_queue_at_once(server):
    server.reply(Reply(503, QUEUE_FULL, headers={"Retry-After": "30"}), Reply(200, {}))
    ctx = JobContext("image")
    threading.Timer(0.3, ctx.cancel).start()
    t0 = time.monotonic()
    with pytest.raises(Cancelled):
        ServerClient(server.url, max_wait=60.0).request("POST", "/images/generations", body=b"{}", ctx=ctx)
    assert time.monotonic() - t0 < 1.5
    assert len(server.posts()) == 1
