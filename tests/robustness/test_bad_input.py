"""Bad input, one test each, on real files: what a creator brings in is damaged, huge, in
the wrong format or encoding, or the place it lives is read-only or full.

Each refusal asserts the StudioError subclass, an English sentence naming the file, the
Indonesian ``.text("id")`` present, and that nothing was lost: the project folder is
byte-for-byte as before and no partial file was left under any name.

The small filesystems are real: a 3 MB tmpfs for a full disk and a read-only bind mount
for a locked folder (this CI runs as root; elsewhere those tests skip, saying why).
"""

from __future__ import annotations

import json
import math
import os
import struct
import subprocess
import sys
import tracemalloc
import wave
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image, ImageDraw

from studio.cli import main
from studio.core import storage
from studio.core.errors import (
    DiskFullError,
    EngineFailed,
    MediaError,
    ProjectError,
    ProjectFormatError,
    ProjectTooNewError,
    StudioError,
    UsageError,
)
from studio.core.hashing import file_sha256
from studio.core.integrity import relink_candidates, verify_assets
from studio.core.jobs import JobContext
from studio.core.project import SCHEMA_VERSION, Cue, ImageAsset, Project, Scene
from studio.core.settings import Settings
from studio.engines.support.media_length import MAX_DECODE_SECONDS
from studio.engines.support.wav import write_wav
from studio.pipeline import steps
from studio.pipeline.images.step import MAX_OWN_SIDE, import_own_image
from studio.pipeline.media.audio import read_audio
from studio.pipeline.media.probe import probe_media
from studio.pipeline.voice.importing import import_voice

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


# ---------------------------------------------------------------- helpers


def _project(root: Path, scenes: int = 2) -> Project:
    project = Project()
    project.brief.title = "Tari Saman"
    project.brief.region = "Aceh"
    project.scenes = [Scene(id=f"s{i + 1}", narration=f"Kalimat adegan {i + 1}.") for i in range(scenes)]
    storage.create_project(root, project)
    return project


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its hash: "nothing lost, nothing half-written"."""
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _no_partials(root: Path) -> None:
    leftovers = [p for p in root.rglob("*") if p.name.endswith((".part", ".tmp"))]
    assert leftovers == [], leftovers


def _says(exc: StudioError, name: str) -> None:
    """An English sentence naming the file, and an Indonesian text of its own."""
    en, ind = str(exc), exc.text("id")
    assert name in en, en
    assert en.rstrip().endswith((".", ")")), f"not a sentence: {en!r}"
    assert name in ind and ind != en, ind


def _jpeg(path: Path, size: tuple[int, int] = (900, 1200)) -> Path:
    img = Image.new("RGB", size, (150, 100, 60))
    ImageDraw.Draw(img).ellipse((50, 50, size[0] - 50, size[1] - 50), fill=(30, 140, 200))
    img.save(path, quality=85)
    return path


def _ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-y", "-v", "error", *args], check=True)


def _mp4(path: Path, *, faststart: bool) -> Path:
    _ffmpeg("-f", "lavfi", "-i", "testsrc=s=320x240:r=25:d=2", "-f", "lavfi", "-i", "sine=d=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            *(["-movflags", "+faststart"] if faststart else []), str(path))
    return path


def _wav_claiming(path: Path, seconds: float, rate: int = 16000, real_seconds: float = 0.5) -> Path:
    """A 16-bit mono WAV of ``seconds`` that costs no disk: a tone of ``real_seconds``, then
    a sparse hole of zeros (silence) up to the full length. Its header and its size both
    say 3 hours, as a real recording's would, so the demuxer believes it."""
    n = int(real_seconds * rate)
    pcm = (0.3 * np.sin(2 * math.pi * 220 * np.arange(n) / rate) * 32767).astype("<i2").tobytes()
    size = int(seconds * rate) * 2
    header = b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE" + b"fmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", size)
    with open(path, "wb") as f:
        f.write(header + pcm)
        f.truncate(len(header) + size)
    return path


def _mount(args: list[str], what: str) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot {what} here (needs root and mount permission): {proc.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB filesystem, nearly filled, so the next write of a few hundred KB fails."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    _mount(["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(mnt)], "mount a 3 MB tmpfs")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True, check=False)


def _fill(mnt: Path, leave: int) -> None:
    st = os.statvfs(mnt)
    (mnt / "filler.bin").write_bytes(b"\1" * max(0, st.f_bavail * st.f_frsize - leave))


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable source folder, the same folder bind-mounted read-only)."""
    src, ro = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    ro.mkdir()
    _mount(["mount", "--bind", str(src), str(ro)], "bind-mount a folder")
    try:
        proc = subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {proc.stderr.strip()}")
        yield src, ro
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True, check=False)


# ---------------------------------------------------------------- images


def _bad_pictures(tmp: Path) -> dict[str, Path]:
    good = _jpeg(tmp / "asli.jpg").read_bytes()
    files = {
        "truncated": (tmp / "terpotong.jpg", good[: len(good) // 3]),
        "garbage": (tmp / "acak.png", os.urandom(4000)),
        "empty": (tmp / "kosong.jpg", b""),
        "text_as_jpg": (tmp / "catatan.jpg", b"Ini bukan gambar.\n" * 50),
        "heic": (tmp / "foto.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(2000)),
        "svg": (tmp / "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900"/>'),
    }
    out = {}
    for key, (path, data) in files.items():
        path.write_bytes(data)
        out[key] = path
    return out


@pytest.mark.parametrize("case", ["truncated", "garbage", "empty", "text_as_jpg", "heic", "svg"])
def test_corrupt_or_unsupported_picture_is_refused_and_nothing_changes(tmp_path: Path, case: str) -> None:
    root = tmp_path / "p"
    project = _project(root)
    before = _tree(root)
    src = _bad_pictures(tmp_path)[case]
    with pytest.raises(MediaError) as err:
        import_own_image(project, root, "s1", src)
    _says(err.value, src.name)
    assert "JPG" in str(err.value) or "PNG" in str(err.value)
    assert _tree(root) == before
    assert project.scene("s1").image is None


def test_a_50_megapixel_photo_is_imported_downsized_with_bounded_memory(tmp_path: Path) -> None:
    """Decoded at reduced scale: peak memory stays below what holding the full photo once costs
    (Pillow keeps RGB as 4 bytes a pixel: 200 MB for 50 MP). Measured in a fresh process, since
    Pillow's pixel memory is invisible to tracemalloc."""
    size = (8660, 5774)  # 50.0 MP
    img = Image.new("RGB", size, (120, 80, 40))
    ImageDraw.Draw(img).ellipse((1000, 800, 7000, 5000), fill=(30, 160, 200))
    img.save(tmp_path / "kamera.jpg", quality=60)
    del img
    root = tmp_path / "p"
    _project(root)
    child = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studio.core import storage\n"
        "from studio.pipeline.images.step import import_own_image\n"
        "def hwm():\n"
        "    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "root = Path(sys.argv[2])\n"
        "before = hwm()\n"
        "a = import_own_image(storage.load_project(root), root, 's1', Path(sys.argv[1]))\n"
        "print(before, hwm(), a.width, a.height, a.path)\n")
    proc = subprocess.run([sys.executable, "-c", child, str(tmp_path / "kamera.jpg"), str(root)],
                          capture_output=True, text=True, check=True)
    before_kb, peak_kb, width, height, rel = proc.stdout.split()
    grew_mb = (int(peak_kb) - int(before_kb)) / 1024
    full_mb = size[0] * size[1] * 4 / 1024**2
    assert grew_mb < full_mb, f"import grew {grew_mb:.0f} MB; holding the photo once is {full_mb:.0f} MB"
    assert max(int(width), int(height)) == MAX_OWN_SIDE
    with Image.open(root / rel) as kept:
        assert max(kept.size) <= MAX_OWN_SIDE and kept.size == (int(width), int(height))
    _no_partials(root)


# ---------------------------------------------------------------- audio


def test_corrupt_zero_length_and_unsupported_audio_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = _project(root)
    before = _tree(root)
    header_only = tmp_path / "hanya-header.wav"
    write_wav(header_only, np.zeros(0, np.float32), 16000)
    cases = {
        "kosong.wav": b"",
        "acak.mp3": os.urandom(5000),
        "teks.ogg": b"OggS but not really" * 40,
        "gambar.m4a": _jpeg(tmp_path / "x.jpg").read_bytes(),
    }
    paths = [header_only] + [tmp_path / name for name in cases]
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    for src in paths:
        with pytest.raises(MediaError) as err:
            import_voice(project, root, "s1", src)
        _says(err.value, src.name)
        assert any(w in str(err.value) for w in ("audio", "sound", "zero length", "empty (0 bytes)")), str(err.value)
    assert _tree(root) == before


def test_truncated_wav_keeps_what_is_there(tmp_path: Path) -> None:
    """A recording cut short by a full card still holds sound: read what is there, no crash."""
    src = tmp_path / "rekaman.wav"
    rate = 16000
    t = np.arange(3 * rate) / rate
    write_wav(src, 0.4 * np.sin(2 * math.pi * 200 * t) * (np.sin(2 * math.pi * 3 * t) > 0), rate)
    data = src.read_bytes()
    src.write_bytes(data[: len(data) * 2 // 3])  # the header still claims 3 s
    samples = read_audio(src, rate=rate, channels=1)
    assert 1.8 < len(samples) / rate < 2.1


def test_three_hour_audio_is_refused_from_its_header_before_decoding(tmp_path: Path) -> None:
    src = _wav_claiming(tmp_path / "rekaman-rapat.wav", 3 * 3600)
    tracemalloc.start()
    try:
        with pytest.raises(MediaError) as err:
            read_audio(src)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _says(err.value, "rekaman-rapat.wav")
    assert "3 h 00 min" in str(err.value) and "3 jam 00 menit" in err.value.text("id")
    assert "Audacity" in str(err.value)
    assert peak < 20 * 1024**2, f"{peak / 1024**2:.0f} MB traced while refusing"
    # Readers with a cap read only up to it, whatever the header says.
    capped = read_audio(src, rate=16000, channels=1, max_seconds=0.2)
    assert len(capped) == int(0.2 * 16000)


def test_three_hour_audio_is_refused_by_whisper_before_loading_anything(tmp_path: Path) -> None:
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine

    src = _wav_claiming(tmp_path / "wawancara.wav", 3 * 3600)
    from studio.engines.base import TranscribeRequest

    # No model folder at all: the file is refused before the engine would even look for one.
    engine = FasterWhisperEngine(tmp_path / "no-model-needed")
    with pytest.raises(MediaError) as err:
        engine.transcribe(TranscribeRequest(audio_path=src, language="id"), JobContext("transcribe"))
    _says(err.value, "wawancara.wav")
    assert not engine.loaded


def test_hour_long_video_is_probed_without_decoding_its_sound(tmp_path: Path) -> None:
    """A 3-hour video (one frame a minute, digital silence in FLAC: 150 KB) is checked; its
    loudness is reported as not measured instead of decoding GBs of samples."""
    src = tmp_path / "siaran.mkv"
    _ffmpeg("-f", "lavfi", "-i", "color=s=64x64:r=1/60:d=10800", "-f", "lavfi", "-i",
            "anullsrc=r=8000:cl=mono:d=10800", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "flac",
            "-shortest", str(src))
    facts = probe_media(src)
    assert facts.duration > MAX_DECODE_SECONDS
    assert facts.loudness_lufs is None and facts.true_peak_db is None and facts.audio_codec == "flac"


# ---------------------------------------------------------------- video


@pytest.mark.parametrize("faststart", [True, False], ids=["moov-first", "moov-last"])
def test_truncated_video_is_a_clear_error_in_the_cli(tmp_path: Path, faststart: bool,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    good = _mp4(tmp_path / "utuh.mp4", faststart=faststart)
    cut = tmp_path / "terpotong.mp4"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError) as err:
        probe_media(cut)
    _says(err.value, "terpotong.mp4")
    assert main(["check", str(cut), "--preset", "free"]) == 2
    assert "terpotong.mp4" in capsys.readouterr().err


def test_unsupported_video_files_are_refused(tmp_path: Path) -> None:
    cases = {"foto.mp4": _jpeg(tmp_path / "a.jpg").read_bytes(), "kosong.mp4": b"",
             "catatan.mov": b"bukan video\n" * 100}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(MediaError) as err:
            probe_media(tmp_path / name)
        _says(err.value, name)


# ---------------------------------------------------------------- text encodings


def test_subtitles_in_cp1252_and_latin1_are_read_correctly(tmp_path: Path) -> None:
    from studio.pipeline.subtitles.files import read_subtitles

    text = "1\n00:00:01,000 --> 00:00:02,500\nCafé “Kopi Luwak” — enak\n\n2\n00:00:03,000 --> 00:00:04,000\nSeñor Müller\n"
    (tmp_path / "windows.srt").write_bytes(text.encode("cp1252"))
    cues = read_subtitles(tmp_path / "windows.srt")
    assert [c.text for c in cues] == ["Café “Kopi Luwak” — enak", "Señor Müller"]
    latin = text.replace("“", '"').replace("”", '"').replace("—", "-")
    (tmp_path / "latin.srt").write_bytes(latin.encode("latin-1"))
    assert read_subtitles(tmp_path / "latin.srt")[1].text == "Señor Müller"
    (tmp_path / "bom.srt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_subtitles(tmp_path / "bom.srt")[0].text.startswith("Café")


def test_project_json_not_utf8_is_refused_with_the_byte_and_untouched(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _project(root)
    path = root / "project.json"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Tari Saman", "Tarí Sãman").encode("latin-1"))
    before = _tree(root)
    with pytest.raises(ProjectFormatError) as err:
        storage.load_project(root)
    _says(err.value, "project.json")
    assert "UTF-8" in str(err.value) and "project.json.bak" in str(err.value)
    assert main(["check-project", str(root)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert _tree(root) == before


# ---------------------------------------------------------------- emoji and RTL in the script


EMOJI_RTL = "Tari Saman 💃🎉 dari Gayo — مرحبا بكم ke Aceh 🇮🇩! שלום"


def test_emoji_and_rtl_script_speaks_captions_and_keeps_subtitles(tmp_path: Path) -> None:
    from studio.engines.support.text_clean import speakable_text
    from studio.pipeline.render.renderer import Renderer
    from studio.pipeline.subtitles.files import read_srt, write_srt

    spoken = speakable_text(EMOJI_RTL)
    assert not any(ord(ch) > 0x1F000 for ch in spoken), spoken
    assert "Tari Saman" in spoken and "مرحبا" in spoken

    root = tmp_path / "p"
    project = _project(root, scenes=1)
    project.scenes[0].narration = EMOJI_RTL
    project.scenes[0].on_screen_text = "Saman 💃 مرحبا"
    storage.save_project(root, project)
    job = steps.prepare("voice", project, root, Settings())  # espeak-ng: real synthesis
    result = job.run(JobContext("voice"))
    job.apply(project, result)
    voice = project.scenes[0].voice
    assert voice is not None and voice.duration > 1.0

    project.render.width, project.render.height = 270, 480
    project.subtitles.cues = [Cue(start=0.5, end=2.5, text=EMOJI_RTL, scene_id="s1")]
    with Renderer(project, root) as renderer:
        frame = renderer.frame_at(1.5)
    assert frame.size == (270, 480) and np.asarray(frame).std() > 1.0

    write_srt(project.subtitles.cues, tmp_path / "s.srt")
    assert read_srt(tmp_path / "s.srt")[0].text == EMOJI_RTL


# ---------------------------------------------------------------- 0 and 400 scenes


@pytest.mark.parametrize("step", ["images", "voice", "subtitles", "music"])
def test_a_script_with_no_scenes_says_to_write_the_script_first(tmp_path: Path, step: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _project(root, scenes=0)
    before = _tree(root)
    with pytest.raises(UsageError) as err:
        steps.prepare(step, storage.load_project(root), root, Settings())
    assert "no scenes" in str(err.value) and "Script step" in str(err.value)
    assert "Naskah belum berisi adegan" in err.value.text("id")
    assert main(["run", step, str(root)]) == 2
    assert "Write the script first" in capsys.readouterr().err
    assert _tree(root) == before


def test_export_of_no_scenes_is_blocked_with_the_step_to_do(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _project(root, scenes=0)
    assert main(["export", str(root)]) == 1
    assert "The script has no scenes yet. Write it in the Script step." in capsys.readouterr().out
    assert list((root / "export").iterdir()) == []


def test_400_scenes_load_plan_check_and_set_up_the_renderer(tmp_path: Path) -> None:
    from studio.core.status import project_status
    from studio.core.timeline import build_timeline
    from studio.engines.llm.scene_json import (
        ScriptJsonError,
        extract_json,
        parse_scenes,
    )
    from studio.pipeline import checks
    from studio.pipeline.render.renderer import Renderer

    root = tmp_path / "p"
    project = _project(root, scenes=400)
    pic = root / "images" / "s1.jpg"
    _jpeg(pic, (270, 480))
    project.scenes[0].image = ImageAsset(path="images/s1.jpg", origin="own", sha256=file_sha256(pic))
    project.render.width, project.render.height = 270, 480
    storage.save_project(root, project)
    loaded = storage.load_project(root)
    assert len(loaded.scenes) == 400
    tl = build_timeline(loaded)
    assert len(tl.scenes()) == 400 and tl.duration > 400
    status = project_status(loaded)
    assert status["images"].total == 400 and status["images"].done == 1
    findings = checks.check_project(loaded, root)
    assert any(f.rule == "duration.max" and not f.passed for f in findings)
    with Renderer(loaded, root) as renderer:
        assert renderer.frame_at(tl.duration / 2).size == (270, 480)
    assert verify_assets(root, loaded) == []
    # An LLM that runs away with 400 scenes gets a reason to retry, not a 400-scene script.
    answer = json.dumps({"scenes": [{"narration": f"Adegan {i}.", "image_prompt": "x"} for i in range(400)]})
    assert len(extract_json(answer)["scenes"]) == 400
    with pytest.raises(ScriptJsonError, match="400 scenes; at most 15"):
        parse_scenes(answer)


# ---------------------------------------------------------------- assets, versions, fields


def test_missing_and_moved_assets_are_reported_and_relinkable(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    project = _project(root)
    pic = _jpeg(root / "images" / "s1.jpg")
    project.scenes[0].image = ImageAsset(path="images/s1.jpg", origin="own", sha256=file_sha256(pic))
    storage.save_project(root, project)
    (root / "images" / "lama").mkdir()
    pic.rename(root / "images" / "lama" / "s1.jpg")
    issues = verify_assets(root, storage.load_project(root))
    assert [(i.scene_id, i.problem) for i in issues] == [("s1", "missing")]
    assert "images/s1.jpg" in issues[0].sentence() and "sambungkan ulang" in issues[0].sentence("id")
    assert relink_candidates(root, issues[0], sha256=project.scenes[0].image.sha256) == ["images/lama/s1.jpg"]
    assert main(["check-project", str(root)]) == 0
    out = capsys.readouterr().out
    assert "images/s1.jpg (scene s1) is missing" in out


def test_project_from_a_newer_version_is_refused_by_the_cli_and_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _project(root)
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    data["schema_version"] = SCHEMA_VERSION + 3
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    before = _tree(root)
    for command in (["status", str(root)], ["run", "music", str(root)], ["export", str(root)]):
        assert main(command) == 2
        err = capsys.readouterr().err.strip()
        assert "newer Studio Lokal" in err and "\n" not in err
    with pytest.raises(ProjectTooNewError) as caught:
        storage.load_project(root)
    assert "Perbarui Studio Lokal" in caught.value.text("id")
    assert _tree(root) == before


def test_unknown_fields_survive_a_cli_step(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _project(root)
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    data["plugin_from_2030"] = {"keep": [1, 2, 3]}
    data["scenes"][0]["mood"] = "tenang"
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    result = storage.read_project(root)
    assert sorted(result.warnings) == ["Unknown field kept as is: plugin_from_2030",
                                       "Unknown field kept as is: scenes.0.mood"]
    data["music"]["source"] = "none"
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["run", "music", str(root)]) == 0
    saved = json.loads((root / "project.json").read_text(encoding="utf-8"))
    assert saved["plugin_from_2030"] == {"keep": [1, 2, 3]} and saved["scenes"][0]["mood"] == "tenang"


# ---------------------------------------------------------------- read-only folder, full disk


def test_read_only_project_opens_and_refuses_writes_with_a_sentence(
        read_only: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    """Real read-only bind mount (chmod does not stop root). A deleted step folder is not
    recreated on a read-only stick: status still works; a step says to copy the project."""
    src, ro = read_only
    _project(src)
    (src / "music").rmdir()
    before = _tree(src)
    assert main(["status", str(ro)]) == 0
    assert main(["check-project", str(ro)]) == 0
    capsys.readouterr()
    assert main(["run", "music", str(ro)]) == 2
    err = capsys.readouterr().err.strip()
    assert "read-only" in err and "Copy the project to a writable folder" in err and "\n" not in err
    project = storage.load_project(ro)
    with pytest.raises(ProjectError) as caught:
        storage.save_project(ro, project)
    _says(caught.value, "project.json")
    assert "hanya-baca" in caught.value.text("id")
    with pytest.raises(ProjectError, match="read-only"):
        steps.prepare_export(project, ro, Settings())
    assert _tree(src) == before and not (src / "music").exists()


def _rendered_project(root: Path) -> Project:
    project = _project(root, scenes=1)
    _jpeg(root / "images" / "s1.jpg", (270, 480))
    rate = 22050
    t = np.arange(int(1.5 * rate)) / rate
    write_wav(root / "voice" / "s1.wav", 0.4 * np.sin(2 * math.pi * 180 * t), rate)
    from studio.core.project import VoiceAsset

    project.scenes[0].image = ImageAsset(path="images/s1.jpg", origin="own",
                                         sha256=file_sha256(root / "images" / "s1.jpg"))
    project.scenes[0].voice = VoiceAsset(path="voice/s1.wav", origin="recorded", duration=1.5,
                                         sample_rate=rate, sha256=file_sha256(root / "voice" / "s1.wav"))
    project.render.width, project.render.height = 270, 480
    project.render.x264_preset = "ultrafast"
    project.render.title_seconds = project.render.end_seconds = 1.0
    project.music.source = "none"
    storage.save_project(root, project)
    return project


def test_full_disk_during_render_and_export_leaves_no_partial_file(tmp_path: Path, small_disk: Path) -> None:
    from studio.pipeline.export import bundle as export
    from studio.pipeline.render import renderer as render

    root = tmp_path / "p"
    project = _rendered_project(root)
    before = _tree(root)
    _fill(small_disk, 64 * 1024)
    with pytest.raises(DiskFullError) as err:
        render.render_video(project, root, small_disk / "video.mp4", JobContext("render"))
    _says(err.value, "video.mp4")
    assert ".part" not in str(err.value)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]

    video = render.render_video(project, root, tmp_path / "ok.mp4", JobContext("render")).path
    assert video.stat().st_size > 64 * 1024
    with pytest.raises(DiskFullError) as err2:
        export.export_bundle(project, root, JobContext("export"), video=video, findings=[], out_dir=small_disk)
    _says(err2.value, "tari-saman.mp4")  # the bundle's copy of the video, by its final name
    assert "Disk penuh" in err2.value.text("id")
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]
    assert _tree(root) == before


def test_full_disk_during_save_keeps_the_last_good_project(small_disk: Path) -> None:
    root = small_disk / "p"
    project = _project(root)
    before = _tree(root)
    _fill(small_disk, 0)
    project.brief.title = "Judul baru " + "x" * 20000
    with pytest.raises(DiskFullError) as err:
        storage.save_project(root, project)
    _says(err.value, "project.json")
    assert storage.load_project(root).brief.title == "Tari Saman"
    assert _tree(root) == before
    _no_partials(root)


# ---------------------------------------------------------------- model folders


def test_whisper_folder_with_a_truncated_model_is_refused_with_a_sentence(tmp_path: Path) -> None:
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine

    folder = tmp_path / "whisper-rusak"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"alignment_heads": [[0, 0]], "lang_ids": [1],
                                                    "suppress_ids": [], "suppress_ids_begin": []}))
    (folder / "vocabulary.txt").write_text("a\nb\n")
    (folder / "model.bin").write_bytes(b"\x00" * 4096)  # what a copy cut short leaves
    engine = FasterWhisperEngine(folder)
    with pytest.raises((EngineFailed, StudioError)) as err:
        engine.load()
    _says(err.value, str(folder))
    assert "Settings" in str(err.value) and "Pengaturan" in err.value.text("id")
    (folder / "model.bin").unlink()
    problems = engine.preflight()
    assert problems and "model.bin" in problems[0] and "model.bin" in problems[0].text("id")


def test_diffusers_folder_missing_its_unet_is_named_in_preflight(tmp_path: Path) -> None:
    import shutil

    from tiny_diffusers import tiny_sd_folder

    from studio.engines.image.diffusion import DiffusersImageEngine

    folder = tiny_sd_folder(tmp_path)
    shutil.rmtree(folder / "unet")
    problems = DiffusersImageEngine(folder).preflight()
    assert problems, "a folder without its unet must not pass preflight"
    assert any("unet" in p for p in problems) and any("unet" in p.text("id") for p in problems)


# ---------------------------------------------------------------- quick self-checks of the helpers


def test_the_sparse_wav_really_is_three_hours(tmp_path: Path) -> None:
    src = _wav_claiming(tmp_path / "x.wav", 3 * 3600)
    assert src.stat().st_blocks * 512 < 1024**2  # sparse: a few KB really on disk
    with wave.open(str(src)) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(3 * 3600)
