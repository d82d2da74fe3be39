"""Issue 16 #6: the voices Whisper could hardly understand are named, from the Subtitle step's
AI-log record, and only while the voice file is the one Whisper heard."""

from __future__ import annotations

from studio.core import ailog, storage
from studio.core.project import Brief, Project, Scene, VoiceAsset
from studio.pipeline.voice.clarity import CLEAR_ENOUGH, unclear_voices


def _project(tmp_path):  # noqa: ANN001, ANN202
    project = Project(brief=Brief(title="Weton"))
    project.scenes = [Scene(id=f"s{i}", narration="Weton adalah hari lahir.",
                            voice=VoiceAsset(path=f"voice/s{i}.wav", origin="tts", sha256=f"sha{i}"))
                      for i in range(4)]
    project.scenes[3].voice = VoiceAsset(path="voice/s3.wav", origin="recorded", sha256="sha3")
    storage.create_project(tmp_path, project)
    return project


def _log(root, agreement: dict[str, float], shas: dict[str, str]) -> None:  # noqa: ANN001
    ailog.append(root, ailog.AiRecord(step="subtitles", action="transcribe", actor="ai",
                                      engine="transcribe.faster_whisper", params={"agreement": agreement},
                                      inputs={f"voice:{k}": v for k, v in shas.items()}))


def test_low_recognition_flags_the_synthetic_voice_whisper_heard(tmp_path) -> None:  # noqa: ANN001
    project = _project(tmp_path)
    assert unclear_voices(project, tmp_path) == {}  # no subtitles made yet: nothing judged
    _log(tmp_path, {"s0": 0.1, "s1": 0.95, "s2": 0.33, "s3": 0.2},
         {"s0": "sha0", "s1": "sha1", "s2": "sha2", "s3": "sha3"})
    assert unclear_voices(project, tmp_path) == {"s0": 0.1, "s2": 0.33}  # s3 is the creator's own
    assert 0.33 < CLEAR_ENOUGH < 0.95
    project.scenes[0].voice.sha256 = "made-again"  # a new voice: Whisper has not heard it yet
    assert unclear_voices(project, tmp_path) == {"s2": 0.33}
    _log(tmp_path, {"s2": 0.9}, {"s2": "sha2"})  # the latest run decides
    assert unclear_voices(project, tmp_path) == {}
