"""Engine-test fixtures shared by the script-engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llm_server import LlmServer, serve


@pytest.fixture
def server() -> Iterator[LlmServer]:
    """A real chat-completions HTTP server on 127.0.0.1 (tests/llm_server.py)."""
    yield from serve()
