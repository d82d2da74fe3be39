"""Engine-test fixtures shared by the script-engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llm_server import LlmServer, serve


@pytest.fixture
def server() -> Iterator[LlmServer]:
    """A real chat-completions HTTP server on 127.0.0.1 (tests/llm_server.py)."""
    yield from serve()


@pytest.fixture
def isolated_models(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """Own model folder, own (empty) Hugging Face caches, own settings: the manager sees only what the test puts there."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "app-models"))
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for var in ("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path
