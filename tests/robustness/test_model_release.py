"""Models are released when their step ends (issue 8, a long working day).

A creator regenerates images, voices and subtitles all afternoon in one window; a
step that kept its model would hold hundreds of MB it no longer uses on an 8 GB
laptop. Each test runs a real step through ``steps.prepare`` (the path the window and
the CLI take), keeps a weak reference to the model the engine loaded, and checks that
nothing holds it once the step has returned, even though the prepared job (which
the window may keep) still references the engine.
"""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from render_fixtures import build_project
from tiny_diffusers import tiny_sd_folder

from studio.core.jobs import JobContext
from studio.core.settings import Settings
from studio.pipeline import steps


def _watch_loads(engine: Any) -> list[weakref.ref]:
    """Weak references to every model ``engine.load`` hands out."""
    refs: list[weakref.ref] = []
    original = engine.load

    def load(*args: Any, **kwargs: Any) -> Any:
        model = original(*args, **kwargs)
        refs.append(weakref.ref(model))
        return model

    engine.load = load
    return refs


def _run(step: str, project: Any, root: Path, settings: Settings) -> tuple[Any, list[weakref.ref], Any]:
    prepared = steps.prepare(step, project, root, settings, force=True)
    engine = prepared.engines[0]
    refs = _watch_loads(engine)
    result = prepared.run(JobContext(step))
    return prepared, refs, result


def test_whisper_is_released_after_the_subtitles_step(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = build_project(root, voices=(1.0,), cues=False)
    settings = Settings()
    prepared, refs, outcome = _run("subtitles", project, root, settings)
    assert outcome.subtitles.cues and refs, "Whisper did not run"
    gc.collect()
    engine = prepared.engines[0]
    assert not engine.loaded
    assert all(r() is None for r in refs), "the Whisper model is still referenced after the step"


def _rss_mb() -> float:
    """This process's resident memory in MB, from /proc (what the laptop actually gives it)."""
    import os

    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads resident memory from /proc")
def test_whisper_memory_is_returned_after_the_subtitles_step(tmp_path: Path) -> None:
    """Not only unreferenced: the memory goes back. The first run pays for the libraries
    (ctranslate2 and its arenas stay for the process); the second is measured: resident
    memory with the model loaded, and after the step, against the start of the step."""
    settings = Settings()
    loaded: list[float] = []
    for run in ("warm-up", "measured"):
        root = tmp_path / run
        project = build_project(root, voices=(1.0,), cues=False)
        prepared = steps.prepare("subtitles", project, root, settings, force=True)
        engine = prepared.engines[0]
        original = engine.load

        def load(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            model = _original(*args, **kwargs)
            loaded.append(_rss_mb())
            return model

        engine.load = load
        gc.collect()
        before = _rss_mb()
        assert prepared.run(JobContext("subtitles")).subtitles.cues
        gc.collect()
        after = _rss_mb()
    held = loaded[-1] - before
    assert held > 20, f"the Whisper model did not seem to load ({held:.0f} MB)"
    assert after - before < 0.25 * held, (
        f"{after - before:.0f} MB of the {held:.0f} MB Whisper held are still resident after the step")


def test_diffusers_pipeline_is_released_after_the_images_step(tmp_path_factory: pytest.TempPathFactory,
                                                                tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = build_project(root, voices=(1.0,), pictures=False, cues=False, size=(64, 112))
    project.scenes[0].image_prompt = "tari saman"
    project.images.steps = 1
    settings = Settings()
    settings.engines.image = "image.diffusers"
    settings.models.diffusers = str(tiny_sd_folder(tmp_path_factory.mktemp("models")))
    prepared, refs, result = _run("images", project, root, settings)
    assert result and refs, "the diffusers pipeline did not run"
    gc.collect()
    assert not prepared.engines[0].loaded
    assert all(r() is None for r in refs), "the diffusers pipeline is still referenced after the step"


def test_a_neural_voice_is_released_after_the_voice_step(tmp_path: Path) -> None:
    """Any voice engine with ``unload`` gets it called when the step ends (fake engine: no
    neural voice model is installed on the build machine; the espeak path has nothing to free)."""
    from studio.engines.voice.espeak import EspeakVoiceEngine
    from studio.pipeline.voice.step import synthesize_voices

    class Neural(EspeakVoiceEngine):
        unloads = 0

        def unload(self) -> None:
            Neural.unloads += 1

    root = tmp_path / "p"
    project = build_project(root, voices=(1.0,), pictures=False, cues=False)
    project.voice.engine = ""
    done = synthesize_voices(project, root, Neural(), JobContext("voice"), force=True)
    assert done and Neural.unloads == 1
    synthesize_voices(project, root, Neural(), JobContext("voice"), force=True, keep_loaded=True)
    assert Neural.unloads == 1


def test_release_gives_freed_pages_back_on_glibc() -> None:
    """``memory.release`` (called by every engine's ``unload``) finds glibc's malloc_trim on
    Linux: without it ~250 MB of an unloaded Whisper stay in the process (longday_bench)."""
    import platform

    from studio.engines.support import memory

    memory.release()  # never raises, on any platform
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert memory._glibc() is not None
