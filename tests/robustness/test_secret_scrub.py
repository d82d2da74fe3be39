"""The API key never lands in a file (issue 21 #4): an LLM server that echoes the request's
Authorization header into the narration must not put the key into project.json, its
backup, script/*.json, the AI log, the SRT or the crash log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studio.core import storage
from studio.core.crashlog import write_crash_log
from studio.core.project import Cue, Project
from studio.core.scrub import REDACTED, scrub_text
from studio.pipeline.subtitles.files import write_srt
from tests.llm_server import LlmServer, scenes_json, sse_answer

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-test-9f8e7d6c5b4a39281716"


def _files_with(root: Path, needle: str) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and needle.encode() in p.read_bytes()]


def test_echoed_key_reaches_no_project_file(tmp_path: Path) -> None:
    root = tmp_path / "P"
    project = Project()
    project.brief.title, project.brief.region, project.brief.theme = "Weton", "Jawa", "weton"
    storage.create_project(root, project)
    env = dict(os.environ, PYTHONPATH=str(ROOT), STUDIO_SCRIPT_ENGINE="script.openai",
               STUDIO_LLM_MODEL="test-model", STUDIO_LLM_API_KEY=KEY)
    with LlmServer() as srv:
        echoed = scenes_json(6).replace("Adegan 2 bercerita", f"Authorization: Bearer {KEY} Adegan 2 bercerita")
        assert KEY in echoed
        # Two runs; each answer reads too short, so each run asks once more for the length (two answers a run).
        srv.reply(*[sse_answer(echoed) for _ in range(4)])
        env["STUDIO_LLM_BASE_URL"] = srv.url
        for _ in range(2):  # twice, so project.json.bak holds a script too
            done = subprocess.run([sys.executable, "-m", "studio", "run", "script", "--force", str(root)],
                                  capture_output=True, text=True, env=env, timeout=120)
            assert done.returncode == 0, done.stderr
        assert any(KEY in s.headers.get("Authorization", "") for s in srv.posts())  # the key was sent
    assert _files_with(root, KEY) == []
    assert (root / "project.json.bak").exists() and list((root / "script").glob("*.json"))
    assert REDACTED in (root / "project.json").read_text(encoding="utf-8")
    assert REDACTED in (root / "project.json.bak").read_text(encoding="utf-8")


def test_srt_and_crash_log_are_scrubbed(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("STUDIO_LLM_API_KEY", KEY)
    srt = tmp_path / "x.srt"
    write_srt([Cue(start=0, end=1.5, text=f"kunci {KEY}")], srt)
    assert KEY not in srt.read_text(encoding="utf-8") and REDACTED in srt.read_text(encoding="utf-8")
    try:
        raise RuntimeError(f"server said Bearer {KEY}")
    except RuntimeError as exc:
        log = write_crash_log(exc, ["run", "script"])
    assert log is not None and KEY not in log.read_text(encoding="utf-8")


def test_key_shaped_tokens_are_scrubbed_even_when_unknown() -> None:
    assert "sk-proj-abcdefghijklmnopqrstu" not in scrub_text("x sk-proj-abcdefghijklmnopqrstu y")
    assert scrub_text("Authorization: Bearer abcdefgh12345678") == f"Authorization: Bearer {REDACTED}"
    plain = "Weton adalah gabungan hari; task-force sk-1 kunci."
    assert scrub_text(plain) == plain  # ordinary words stay
