"""The creator's own narration: per-scene import, whole-take split, own music."""

from __future__ import annotations

import json
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from studio.core import ailog, storage
from studio.core.errors import MediaError, StudioError
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Project, Scene
from studio.core.status import project_status
from studio.engines.base import VoiceRequest
from studio.engines.support.wav import write_wav
from studio.engines.voice.espeak import EspeakVoiceEngine
from studio.pipeline.media.audio import read_audio, wav_duration
from studio.pipeline.voice.importing import (
    import_music,
    import_voice,
    import_whole_take,
    split_points,
)

RATE = 48000
SENTENCES = [
    "Weton adalah gabungan hari dalam sepekan dengan hari pasaran Jawa.",
    "Ada lima hari pasaran.",
    "Legi, Pahing, Pon, Wage, dan Kliwon dipakai untuk menghitung neptu seseorang.",
]


def _speech(tmp_path: Path, text: str) -> np.ndarray:
    engine = EspeakVoiceEngine()
    out = tmp_path / f"tts-{abs(hash(text))}.wav"
    engine.synthesize(VoiceRequest(text=text), out, JobContext("voice"))
    return read_audio(out, rate=RATE, channels=1)[:, 0]


def _project(tmp_path: Path, texts: list[str]) -> tuple[Path, Project]:
    root = tmp_path / "proj"
    project = Project(scenes=[Scene(narration=t, source="template") for t in texts])
    storage.create_project(root, project)
    return root, project


def test_import_voice_trims_silence_and_logs_a_human_record(tmp_path: Path) -> None:
    speech = _speech(tmp_path, SENTENCES[0])
    padded = np.concatenate([np.zeros(RATE), speech, np.zeros(2 * RATE)])
    src = tmp_path / "rekaman hp.wav"
    write_wav(src, padded, RATE)
    root, project = _project(tmp_path, SENTENCES[:1])
    scene = project.scenes[0]

    asset = import_voice(project, root, scene.id, src)

    path = root / asset.path
    assert asset.path.startswith(f"voice/{scene.id}-rec-") and path.suffix == ".wav"
    assert asset.origin == "imported" and asset.sample_rate == RATE
    # Three seconds of silence around the speech are gone (a little margin stays).
    assert abs(asset.duration - len(speech) / RATE) < 0.3
    assert abs(wav_duration(path) - asset.duration) < 0.01
    assert asset.sha256 and not asset.inputs_hash
    rec = ailog.read(root)[-1]
    assert (rec.actor, rec.step, rec.action, rec.scene_id) == ("human", "voice", "import", scene.id)
    assert rec.outputs[0].path == asset.path
    assert not list(root.rglob("*.part"))
    # A creator's recording never shows as stale when the text changes.
    scene.voice = asset
    scene.narration = "Teks yang sudah diubah."
    assert project_status(project)["voice"].state == "done"


def test_import_voice_reads_compressed_audio(tmp_path: Path) -> None:
    import imageio_ffmpeg

    wav = tmp_path / "a.wav"
    write_wav(wav, _speech(tmp_path, SENTENCES[1]), RATE)
    m4a = tmp_path / "a.m4a"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-i", str(wav),
                    "-c:a", "aac", str(m4a)], check=True)
    root, project = _project(tmp_path, SENTENCES[1:2])
    asset = import_voice(project, root, project.scenes[0].id, m4a, origin="recorded")
    assert asset.origin == "recorded" and asset.duration > 0.8
    assert ailog.read(root)[-1].action == "record"


@pytest.mark.parametrize("kind", ["silent", "not-audio", "missing", "too-short"])
def test_import_voice_refuses_bad_input_with_a_sentence(tmp_path: Path, kind: str) -> None:
    root, project = _project(tmp_path, SENTENCES[:1])
    src = tmp_path / "in.wav"
    if kind == "silent":
        write_wav(src, np.zeros(RATE * 2), RATE)
    elif kind == "not-audio":
        src.write_text("bukan audio", encoding="utf-8")
    elif kind == "too-short":
        write_wav(src, 0.5 * np.sin(np.linspace(0, 200, int(RATE * 0.1))), RATE)
    with pytest.raises(MediaError) as err:
        import_voice(project, root, project.scenes[0].id, src)
    assert err.value.text("id") and err.value.text("id") != str(err.value)
    assert not list((root / "voice").iterdir())
    assert not ailog.read(root)


def test_whole_take_is_cut_at_the_pauses(tmp_path: Path) -> None:
    parts = [_speech(tmp_path, t) for t in SENTENCES]
    pause = np.zeros(int(0.7 * RATE))
    take = np.concatenate([pause, parts[0], pause, parts[1], pause, parts[2], pause])
    # Room noise, so the pauses are not digital silence.
    take = take + np.random.default_rng(1).normal(0, 0.002, len(take))
    src = tmp_path / "satu-rekaman.wav"
    write_wav(src, take, RATE)
    root, project = _project(tmp_path, SENTENCES)

    split = import_whole_take(project, root, src, origin="recorded")

    assert list(split.voices) == [s.id for s in project.scenes]
    for part, scene in zip(parts, project.scenes):
        asset = split.voices[scene.id]
        assert abs(asset.duration - len(part) / RATE) < 0.35, (asset.duration, len(part) / RATE)
        assert asset.origin == "recorded"
    # Each cut lies inside a pause (between the end of one sentence and the start of the next).
    trimmed_start = 0.7 - 0.08
    ends = np.cumsum([len(p) / RATE + 0.7 for p in parts]) + 0.7 - trimmed_start
    for cut, end in zip(split.cuts, ends[:-1]):
        assert end - 0.7 - 0.05 < cut < end + 0.05
    records = [r for r in ailog.read(root) if r.step == "voice"]
    assert [r.action for r in records] == ["record"] * 3
    assert len({r.inputs["source"] for r in records}) == 1


def test_whole_take_cancel_keeps_finished_scenes(tmp_path: Path) -> None:
    parts = [_speech(tmp_path, t) for t in SENTENCES]
    pause = np.zeros(int(0.6 * RATE))
    src = tmp_path / "take.wav"
    write_wav(src, np.concatenate([parts[0], pause, parts[1], pause, parts[2]]), RATE)
    root, project = _project(tmp_path, SENTENCES)
    ctx = JobContext("voice")
    ctx._report = lambda p: ctx.cancel() if p.done >= 2 else None  # noqa: SLF001 - test hook
    with pytest.raises(Cancelled) as cancelled:
        import_whole_take(project, root, src, ctx=ctx)
    kept = cancelled.value.partial.voices
    # Progress "2 of 4" arrives while scene 2 is written; the cancel lands before scene 3.
    assert list(kept) == [s.id for s in project.scenes[:2]]
    assert sorted(p.name for p in (root / "voice").iterdir()) == sorted(Path(a.path).name for a in kept.values())


def test_split_points_follow_word_shares_without_pauses() -> None:
    # A steady tone has no pause: cuts fall where the word counts predict.
    tone = 0.3 * np.sin(np.arange(RATE * 10) * 2 * np.pi * 220 / RATE)
    cuts = split_points(tone, RATE, [1, 1, 2])
    assert cuts == pytest.approx([2.5, 5.0], abs=1.6)
    assert cuts == sorted(cuts)


def test_import_music_requires_a_licence_and_keeps_the_file(tmp_path: Path) -> None:
    root, project = _project(tmp_path, SENTENCES[:1])
    src = tmp_path / "lagu.wav"
    t = np.arange(RATE * 3) / RATE
    write_wav(src, 0.2 * np.sin(2 * np.pi * 330 * t), RATE)
    with pytest.raises(StudioError):
        import_music(project, root, src, "  ")
    music = import_music(project, root, src, "CC BY 4.0, Sanggar Contoh")
    assert music.source == "imported" and music.licence == "CC BY 4.0, Sanggar Contoh"
    assert (root / music.path).read_bytes() == src.read_bytes()
    rec = ailog.read(root)[-1]
    assert (rec.actor, rec.step, rec.action) == ("human", "music", "import")
    assert "CC BY 4.0" in rec.note
    with wave.open(str(root / music.path)) as w:
        assert w.getframerate() == RATE
    json.dumps(music.model_dump(mode="json"))


def test_whole_take_is_cut_where_the_script_changes_scene(tmp_path: Path) -> None:
    """Pauses inside a scene are longer than between scenes, and word counts mislead: only
    aligning the script to what Whisper heard finds the scene boundaries."""
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine

    scenes = [["Batik.", "Canting.", "Malam panas."],
              ["Perajin di desa Laweyan menggambar motif parang dan kawung dengan sabar setiap hari."],
              ["Sore hari kain dicelup.", "Warnanya cokelat soga."]]
    inner, between = 1.0, 0.35
    chunks, truth, t = [], [], 0.0
    for k, sentences in enumerate(scenes):
        for j, sentence in enumerate(sentences):
            audio = _speech(tmp_path, sentence)
            chunks.append(audio)
            t += len(audio) / RATE
            if j < len(sentences) - 1:
                chunks.append(np.zeros(int(inner * RATE)))
                t += inner
        if k < len(scenes) - 1:
            chunks.append(np.zeros(int(between * RATE)))
            truth.append(t + between / 2)
            t += between
    take = np.concatenate(chunks)
    take = take + np.random.default_rng(1).normal(0, 0.002, len(take))
    src = tmp_path / "take.wav"
    write_wav(src, take, RATE)
    texts = [" ".join(s) for s in scenes]

    root, project = _project(tmp_path / "a", texts)
    by_pauses = import_whole_take(project, root, src)
    root, project = _project(tmp_path / "b", texts)
    by_script = import_whole_take(project, root, src, transcriber=FasterWhisperEngine())

    assert by_pauses.method == "pauses" and by_script.method == "script"
    # Every script cut lies inside the pause between the scenes (±half the pause, plus
    # espeak's 50 ms of silence at each end); the word-share guess misses by seconds.
    for cut, true in zip(by_script.cuts, truth):
        assert abs(cut - true) < between / 2 + 0.06, (by_script.cuts, truth)
    assert max(abs(c - t) for c, t in zip(by_pauses.cuts, truth)) > 1.0
    assert "parang" in by_script.heard.lower()
    durations = [by_script.voices[s.id].duration for s in project.scenes]
    assert durations[0] > 3.0 and durations[1] > 4.0
    notes = [r.note for r in ailog.read(root) if r.step == "voice"]
    assert len(notes) == 3 and all("script changes scene" in n and "Whisper" in n for n in notes)
    assert not list((root / "voice").glob(".take-*"))  # the temporary take is gone
