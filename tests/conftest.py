"""Test-wide setup: isolated user folders, Qt offscreen, and shared fixtures."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

# Set before anything imports Qt or reads user folders.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
_HOME = tempfile.mkdtemp(prefix="studio-test-home-")
os.environ["STUDIO_HOME"] = _HOME
# The shared Whisper model is expensive to join (145 MB); share one copy per session
# unless the developer points at their own.
os.environ.setdefault("STUDIO_MODELS_DIR", os.path.join(tempfile.gettempdir(), "studio-test-models"))


@pytest.fixture(scope="module")
def whisper() -> Iterator[Any]:
    """The default faster-whisper engine, loaded once per test module and unloaded after it."""
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine

    engine = FasterWhisperEngine()
    yield engine
    engine.unload()
