"""Renderer and export: a tiny real project rendered to a real MP4, probed and decoded back."""

from __future__ import annotations

import struct
import threading
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from render_fixtures import build_project
from studio.core.errors import DiskFullError, EngineFailed
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Cue
from studio.core.storage import save_project
from studio.pipeline.media import ffmpeg
from studio.pipeline.media.audio import measure_loudness, read_audio
from studio.pipeline.music import make_music
from studio.pipeline.render.renderer import Renderer, render_video
from studio.pipeline.render.motion import combine, prepare_working, resolve_motions
from studio.pipeline.render.yuv import Planes
from studio.pipeline.render.cards import end_layer, title_layer
from studio.pipeline.render.text import CaptionPainter, SafeArea, font_path, load_font, wrap_text

SIZE = (270, 480)


def top_level_atoms(path: Path) -> list[str]:
    out = []
    size = path.stat().st_size
    with open(path, "rb") as f:
        pos = 0
        while pos < size:
            f.seek(pos)
            length, kind = struct.unpack(">I4s", f.read(8))
            if length == 1:
                length = struct.unpack(">Q", f.read(8))[0]
            out.append(kind.decode("latin-1"))
            pos += length
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("render") / "proj"
    project = build_project(root, size=SIZE, voices=(2.2, 1.8, 2.6),
                            transitions=("crossfade", "dip_black", "slide"))
    project.music = make_music(project, root, JobContext("music"))
    save_project(root, project)
    out = root / "export" / "video.mp4"
    reports = []
    result = render_video(project, root, out, JobContext("render", reports.append),
                          metadata={"title": project.brief.title, "comment": "Dibuat dengan bantuan AI"})
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return project, root, result, frames, reports


def test_mp4_is_what_the_platforms_want(rendered):
    project, root, result, frames, _ = rendered
    renderer = Renderer(project, root)
    tl = renderer.timeline
    assert result.frames == tl.frame_count == len(frames)
    assert (result.width, result.height) == SIZE and result.encoder == "libx264"
    with av.open(str(result.path)) as c:
        v, a = c.streams.video[0], c.streams.audio[0]
        assert abs(c.duration / 1e6 - tl.duration) <= 1.0 / tl.fps + 0.03
        assert v.codec_context.name == "h264" and v.codec_context.profile == "High"
        assert v.codec_context.pix_fmt == "yuv420p"
        assert v.codec_context.color_range == 1  # tv (MPEG) range, never full "yuvj"
        assert v.codec_context.colorspace == 1  # BT.709, as the frames were built
        assert (v.codec_context.width, v.codec_context.height) == SIZE
        assert v.average_rate == tl.fps
        assert a.codec_context.name == "aac" and a.rate == 48000 and a.channels == 2
        assert c.metadata.get("title") == project.brief.title
    atoms = top_level_atoms(result.path)
    assert atoms.index("moov") < atoms.index("mdat"), atoms  # faststart
    assert not list(result.path.parent.glob("*.part"))


def test_export_shows_exactly_the_preview(rendered):
    project, root, result, frames, _ = rendered
    renderer = Renderer(project, root)
    fps = renderer.timeline.fps
    checked = 0
    for seg in renderer.timeline.segments:
        i = int(round((seg.start + seg.end) / 2 * fps))
        ref = np.asarray(renderer.frame_at(i / fps), dtype=np.float64)
        got = frames[i].astype(np.float64)
        psnr = 10 * np.log10(255.0 ** 2 / np.mean((got - ref) ** 2))
        assert psnr > 30.0, (seg.kind, seg.scene_index, psnr)
        # No colour shift from a wrong matrix or range: channel means agree.
        assert np.all(np.abs(got.mean(axis=(0, 1)) - ref.mean(axis=(0, 1))) < 3.0)
        checked += 1
    assert checked == len(renderer.timeline.segments)
    # A frame from another scene must NOT match: the comparison can fail.
    a = frames[int(renderer.timeline.scenes()[0].start * fps) + 40].astype(np.float64)
    b = np.asarray(renderer.frame_at(renderer.timeline.scenes()[2].start + 1.0), dtype=np.float64)
    assert 10 * np.log10(255.0 ** 2 / np.mean((a - b) ** 2)) < 20.0


def test_decoded_audio_meets_loudness_target(rendered):
    project, root, result, _, _ = rendered
    audio = read_audio(result.path, 48000, 2)
    loud = measure_loudness(audio, 48000)
    assert abs(loud.integrated_lufs - project.render.loudness_lufs) <= 1.0, loud
    # With a margin: a probe rounding to 0.1 dB never reads the limit itself.
    assert loud.true_peak_db <= project.render.true_peak_db - 0.2, loud
    assert abs(result.loudness_lufs - project.render.loudness_lufs) <= 0.5
    assert result.true_peak_db == pytest.approx(loud.true_peak_db, abs=0.05)  # what the file holds


def test_video_encoding_starts_before_the_soundtrack_is_ready(tmp_path, monkeypatch):
    from studio.pipeline.render import encode as render_encode

    project = build_project(tmp_path / "p", size=SIZE, voices=(1.5, 1.5))
    frames_sent = threading.Event()
    seen = {}
    real = render_encode.encode_soundtrack

    def soundtrack_after_frames(*args, **kwargs):
        # If the render mixed first and encoded after, no frame could arrive: this waits
        # out its timeout and the test fails (no timing is measured).
        seen["frames_first"] = frames_sent.wait(timeout=30)
        return real(*args, **kwargs)

    def report(p):
        if p.total and p.done >= 10:
            frames_sent.set()

    monkeypatch.setattr(render_encode, "encode_soundtrack", soundtrack_after_frames)
    result = render_video(project, tmp_path / "p", tmp_path / "v.mp4", JobContext("render", report))
    assert seen["frames_first"] is True
    with av.open(str(result.path)) as c:
        assert c.streams.audio and c.streams.video[0].frames == result.frames


def test_a_missing_voice_stops_the_render_and_leaves_nothing(tmp_path):
    from studio.core.errors import MediaError

    project = build_project(tmp_path / "p", size=SIZE, voices=(1.5, 1.5))
    (tmp_path / "p" / project.scenes[1].voice.path).unlink()
    out = tmp_path / "p" / "export" / "video.mp4"
    with pytest.raises(MediaError) as info:
        render_video(project, tmp_path / "p", out, JobContext("render"))
    assert "scene 2" in str(info.value)
    assert not out.exists() and not list(out.parent.glob("*.part"))


def test_silent_video_result_is_json_safe(tmp_path):
    import json

    project = build_project(tmp_path / "p", size=SIZE, voices=(0.0,), cues=False)
    project.scenes[0].narration = "Belum ada suara."
    result = render_video(project, tmp_path / "p", tmp_path / "silent.mp4", JobContext("render"))
    assert result.loudness_lufs is None and result.true_peak_db is None
    data = json.loads(json.dumps(result.as_dict(), allow_nan=False))
    assert data["loudness_lufs"] is None and data["frames"] == result.frames
    with av.open(str(result.path)) as c:
        assert c.streams.audio  # a silent track, not a missing one (rules want audio)


def test_progress_counts_frames(rendered):
    _, _, result, _, reports = rendered
    frame_reports = [p for p in reports if p.total == result.frames]
    assert frame_reports[-1].done == result.frames
    dones = [p.done for p in frame_reports]
    assert dones == sorted(dones)


def _caption_region(size: tuple[int, int], renderer: Renderer) -> tuple[int, int, int, int]:
    safe = SafeArea.for_frame(*size)
    return (0, int(size[1] * 0.55), size[0], safe.bottom)


def test_captions_only_while_a_cue_is_active(tmp_path):
    project = build_project(tmp_path / "p", size=SIZE, voices=(2.0, 2.0))
    plain = project.model_copy(deep=True)
    plain.subtitles.burn_in = False
    with_caps = Renderer(project, tmp_path / "p")
    without = Renderer(plain, tmp_path / "p")
    box = _caption_region(SIZE, with_caps)
    cue = project.subtitles.cues[0]
    seg = with_caps.timeline.scenes()[0]

    def diff(t: float) -> float:
        a = np.asarray(with_caps.frame_at(t).crop(box), dtype=np.int16)
        b = np.asarray(without.frame_at(t).crop(box), dtype=np.int16)
        return float(np.abs(a - b).mean())

    assert diff((cue.start + cue.end) / 2) > 5.0  # text box drawn
    assert diff(0.25) == 0.0  # title card: no cue yet
    assert seg.end > cue.end + 0.1
    assert diff(cue.end + 0.05) == 0.0  # after the cue, before the next scene's voice


SHAPES = [(540, 960), (960, 540), (720, 720)]


@pytest.mark.parametrize("size", SHAPES, ids=["9:16", "16:9", "1:1"])
@pytest.mark.parametrize("style", ["lower_third", "highlight", "karaoke"])
def test_caption_styles_stay_in_the_safe_area(style, size):
    painter = CaptionPainter(size, style)
    text = ("Upacara Petik Laut adalah ungkapan syukur masyarakat nelayan Muncar atas hasil laut "
            "yang melimpah, dirayakan setiap tanggal 15 Muharam.")
    words = text.split()
    from studio.core.project import WordTiming

    cue = Cue(start=0.0, end=6.0, text=text,
              words=[WordTiming(text=w, start=k * 0.3, end=k * 0.3 + 0.3) for k, w in enumerate(words)])
    safe = SafeArea.for_frame(*size)
    seen = set()
    for t in (0.1, 1.0, 2.5):
        layer = painter.layer(0, cue, t)
        assert layer is not None
        assert safe.top <= layer.y and layer.y + layer.image.height <= safe.bottom
        assert 0 <= layer.x and layer.x + layer.image.width <= size[0]
        seen.add(layer.image.tobytes())
    # Word-by-word styles change as words are spoken; the plain style does not.
    assert len(seen) == (1 if style == "lower_third" else 3)


def test_wrap_is_measured_and_keeps_every_word():
    font = load_font("semibold", 40)
    text = "Kéris pusaka dari Bangkalan dirawat turun-temurun; masyarakat Madura menyebutnya " \
           "Sangkolan — warisan leluhur yang dihormati. Supercalifragilisticexpialidocious!"
    lines = wrap_text(text, font, 300)
    assert len(lines) > 3
    for line in lines:
        assert font.getlength(line) <= 300
    assert "".join("".join(lines).split()) == "".join(text.split())
    # A spaced dash or a closing mark never starts a line, at any width.
    disclosure = "Dibuat dengan bantuan AI: Gambar — Stable Diffusion (diffusers), model sd-turbo ; Suara ?"
    for width in range(180, 700, 20):
        for line in wrap_text(disclosure, font, width):
            assert not line.startswith(("—", ";", "?")), (width, line)
            assert font.getlength(line) <= width
    assert font_path("bold").name in ("SourceSansPro-Bold.ttf", "DejaVuSans-Bold.ttf")


@pytest.mark.parametrize("size", SHAPES, ids=["9:16", "16:9", "1:1"])
def test_cards_stay_in_the_safe_area(size):
    safe = SafeArea.for_frame(*size)
    long_disclosure = ("Dibuat dengan bantuan AI: Stable Diffusion (stabilityai/sd-turbo) — Gambar; "
                       "Whisper base — Subtitle; Qwen2.5 1.5B Instruct — Naskah. Suara tanpa AI.")
    layers = [title_layer(size, "Tradisi Petik Laut di Muncar yang Sudah Berusia Ratusan Tahun",
                          "Kabupaten Banyuwangi", "Budi Santoso, S.Kom.",
                          "Dinas Komunikasi dan Informatika Kabupaten Banyuwangi"),
              end_layer(size, "Tradisi Petik Laut", long_disclosure, "Budi Santoso",
                        "Dinas Komunikasi dan Informatika")]
    for layer in layers:
        assert layer is not None
        # The shadow may spill a few pixels; the ink itself stays inside.
        slack = 12
        assert layer.y >= safe.top - slack and layer.y + layer.image.height <= safe.bottom + slack
        assert layer.x >= 0 and layer.x + layer.image.width <= size[0]
        # Layers also paste onto plain RGB pictures (the export's thumbnail does this).
        still = Image.new("RGB", size, (40, 40, 40))
        layer.paste_on(still)
        assert np.asarray(still).max() > 200


def test_end_card_says_which_ai_was_used(tmp_path):
    project = build_project(tmp_path / "p", size=SIZE, voices=(1.0,))
    renderer = Renderer(project, tmp_path / "p")
    text = renderer.disclosure()
    assert "sd-turbo" in text and text.startswith("Dibuat dengan bantuan AI")


def _phase_shift(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Sub-pixel translation from a to b by phase correlation with a centroid peak."""
    win = np.outer(np.hanning(a.shape[0]), np.hanning(a.shape[1]))
    fa, fb = np.fft.fft2(a * win), np.fft.fft2(b * win)
    r = fb * np.conj(fa)
    r /= np.abs(r) + 1e-9
    corr = np.fft.fftshift(np.real(np.fft.ifft2(r)))
    y, x = np.unravel_index(np.argmax(corr), corr.shape)
    patch = np.clip(corr[y - 2:y + 3, x - 2:x + 3], 0, None)
    ys, xs = np.mgrid[-2:3, -2:3]
    cy = y + (patch * ys).sum() / patch.sum() - corr.shape[0] // 2
    cx = x + (patch * xs).sum() / patch.sum() - corr.shape[1] // 2
    return float(cx), float(cy)


@pytest.mark.parametrize("picture", [1.2, 0.7], ids=["large-photo", "small-ai-image"])
def test_ken_burns_pan_is_subpixel_smooth(tmp_path, picture):
    from render_fixtures import make_picture
    from studio.pipeline.render.motion import OVERSIZE, working_size

    project = build_project(tmp_path / "p", size=(360, 640), voices=(4.0,), cues=False,
                            motions=("pan_right",), origin="generated", title_card=False,
                            end_card=False)
    # A large picture gets a working image OVERSIZE x the frame; a small one the frame size.
    make_picture(tmp_path / "p" / project.scenes[0].image.path, (int(360 * picture), int(640 * picture)),
                 seed=1)
    renderer = Renderer(project, tmp_path / "p")
    work_w = renderer._work(0).size[0]
    assert work_w == (working_size((360, 640))[0] if picture > OVERSIZE else 360)
    seg = renderer.timeline.scenes()[0]
    fps = renderer.timeline.fps
    t0 = seg.start + 1.0
    grey = [np.asarray(renderer.frame_at(t0 + k / fps).convert("L"), dtype=np.float64)[160:480, 20:340]
            for k in range(31)]
    dx = np.array([_phase_shift(grey[k], grey[k + 1])[0] for k in range(30)])
    assert np.all(dx < 0) and abs(dx.mean()) > 0.1  # content moves left, steadily
    smooth = np.convolve(dx, np.ones(7) / 7, mode="valid")
    jitter = dx[3:-3] - smooth
    assert jitter.std() < 0.06, (dx, jitter.std())


@pytest.mark.parametrize("motion", ["pan_left", "pan_right", "pan_up", "pan_down", "zoom_in"])
@pytest.mark.parametrize("oversize", [1.0, 1.1])
def test_a_pan_drawn_from_its_shared_half_resample_is_the_same_frame(motion, oversize):
    from studio.pipeline.render.motion import draw_motion, pan_prepass, working_size

    frame = (360, 640)
    rng = np.random.default_rng(7)
    w, h = working_size(frame, oversize)
    work = Planes.from_rgb(Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)))
    pre = pan_prepass(work, motion, frame)
    assert (pre is None) == (motion == "zoom_in")
    for p in (0.0, 0.37, 0.81, 1.0):
        want = draw_motion(work, motion, p, frame)
        got = draw_motion(work, motion, p, frame, pre)
        for a, b in ((got.y, want.y), (got.u, want.u), (got.v, want.v)):
            diff = np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16))
            # Up and down resample in PIL's own order (the same numbers); across, rows first: rounding.
            assert diff.max() <= (0 if motion in ("pan_up", "pan_down") else 1), (motion, p)


def test_auto_motion_varies_and_is_stable():
    pairs = [(f"sc-{i:08x}", "auto") for i in range(40)]
    first = resolve_motions(pairs)
    assert first == resolve_motions(pairs)
    # No move comes back within three scenes (no A-A, no A-B-A) ...
    assert all(len({a, b, c}) == 3 for a, b, c in zip(first, first[1:], first[2:]))
    assert len(set(first)) >= 5
    # ... and a typical 10-scene video uses at least four different moves.
    for k in range(0, 40, 10):
        assert len(set(first[k:k + 10])) >= 4, first[k:k + 10]
    fixed = resolve_motions([("a", "zoom_in"), ("b", "auto"), ("c", "still")])
    assert fixed[0] == "zoom_in" and fixed[1] != "zoom_in" and fixed[2] == "still"


@pytest.mark.parametrize("frame", [(270, 480), (480, 270), (360, 360)], ids=["9:16", "16:9", "1:1"])
def test_pictures_of_any_aspect_fill_without_distortion(frame):
    # Square, portrait, landscape, a 4:1 panorama and a 1:4 strip.
    for w, h in ((800, 800), (600, 900), (1600, 900), (2000, 500), (400, 1600)):
        img = Image.new("RGB", (w, h), (40, 90, 160))
        r = min(w, h) // 4
        ImageDraw.Draw(img).ellipse((w // 2 - r, h // 2 - r, w // 2 + r, h // 2 + r), fill=(255, 255, 255))
        work = np.asarray(prepare_working(img, frame))
        assert work.shape[1] >= frame[0] and work.shape[0] >= frame[1]
        mask = work.min(axis=2) > 200
        ys, xs = np.nonzero(mask)
        bw, bh = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
        assert abs(bw / bh - 1.0) < 0.05, (w, h, bw, bh)  # a circle stays round
        # No black bars: every edge of the frame shows picture or its blurred fill.
        for edge in (work[:5], work[-5:], work[:, :5], work[:, -5:]):
            assert edge.mean() > 15, (frame, w, h)


@pytest.mark.parametrize("frame", [(270, 480), (480, 270)], ids=["9:16", "16:9"])
def test_extreme_aspect_is_contained_over_a_blurred_fill(frame):
    wide = (frame[0] > frame[1])
    # A picture 4x too wide for a vertical frame, or 4x too tall for a landscape one.
    w, h = (400, 1600) if wide else (2000, 500)
    rng = np.random.default_rng(3)
    img = Image.fromarray(rng.integers(0, 255, (h // 20, w // 20, 3), dtype=np.uint8)).resize((w, h))
    work = np.asarray(prepare_working(img, frame), dtype=np.float64)
    grey = work.mean(axis=2)
    detail = np.abs(np.diff(grey, axis=1 if not wide else 0))
    if wide:  # the strip sits in the middle; the sides are fill
        side, middle = detail[:, : work.shape[1] // 8], detail[:, work.shape[1] // 2 - 5: work.shape[1] // 2 + 5]
    else:  # the panorama sits in the middle; above and below are fill
        side, middle = detail[: work.shape[0] // 8], detail[work.shape[0] // 2 - 5: work.shape[0] // 2 + 5]
    assert middle.mean() > 5 * side.mean()  # sharp picture, blurred fill
    # As large as a 38 % trim of its long side allows: 0.23 of the frame here (a plain
    # "contain" would give 0.14, a postage stamp).
    rows = np.nonzero(detail.mean(axis=1) > 2 * side.mean())[0] if not wide else \
        np.nonzero(detail.mean(axis=0) > 2 * side.mean())[0]
    extent = (rows.max() - rows.min() + 1) / (work.shape[0] if not wide else work.shape[1])
    assert extent > 0.2, extent


@pytest.mark.parametrize("style", ["lower_third", "highlight", "karaoke"])
def test_diacritics_and_long_words_are_never_clipped(style):
    from studio.core.project import WordTiming

    size = (360, 640)
    text = ("ÉÊÈ Sèdhèkah Bumi: tumpêng, kéris, rêbab — Ñyêpi? "
            "Kesejahteraanmasyarakatnusantaraindonesiaraya!")
    words = text.split()
    cue = Cue(start=0.0, end=4.0, text=text,
              words=[WordTiming(text=w, start=k * 0.4, end=k * 0.4 + 0.4) for k, w in enumerate(words)])
    painter = CaptionPainter(size, style)
    layer = painter.layer(0, cue, 3.0)
    assert layer is not None
    alpha = np.asarray(layer.image.getchannel("A"))
    rgb = np.asarray(layer.image.convert("RGB"), dtype=np.int16)
    ink = (alpha > 128) & (rgb.min(axis=2) > 200)  # white glyph pixels
    # Accents above capitals and the broken long word stay inside the drawn layer: no
    # glyph touches its edge, and the layer is inside the frame's safe area.
    assert ink.any() and not (ink[:2].any() or ink[-2:].any() or ink[:, :2].any() or ink[:, -2:].any())
    safe = SafeArea.for_frame(*size)
    assert 0 <= layer.x and layer.x + layer.image.width <= size[0]
    assert safe.top <= layer.y and layer.y + layer.image.height <= safe.bottom
    # The font has real glyphs for the Indonesian/Javanese vowels (not the empty box).
    font = load_font("semibold", 40)
    tofu = font.getmask("\uffff").getbbox()
    for ch in "éèêÉÊÈ":
        assert font.getmask(ch).getbbox() != tofu and font.getlength(ch) > 0


def test_scene_without_picture_or_voice_still_renders_draft(tmp_path):
    project = build_project(tmp_path / "p", size=SIZE, voices=(1.0, 0.0), pictures=False, cues=False)
    project.scenes[1].narration = "Adegan ini belum punya suara maupun gambar."
    renderer = Renderer(project, tmp_path / "p")
    seg = renderer.timeline.scenes()[1]
    assert seg.estimated and seg.voice_start is not None
    frame = renderer.frame_at((seg.start + seg.end) / 2)
    assert frame.size == SIZE and np.asarray(frame).max() > 200  # backdrop with white text
    out = tmp_path / "draft.mp4"
    result = render_video(project, tmp_path / "p", out, JobContext("render"), draft=True)
    assert (result.width, result.height) == (136, 240)
    with av.open(str(out)) as c:
        assert c.streams.video[0].codec_context.width == 136


def test_cancel_mid_render_leaves_no_file(tmp_path):
    project = build_project(tmp_path / "p", size=SIZE, voices=(2.0, 2.0))
    out = tmp_path / "p" / "export" / "video.mp4"
    ctx = JobContext("render")

    def report(p):
        if p.total and p.done >= 20:
            ctx.cancel()

    ctx._report = report  # the context cancels itself once 20 frames are in
    with pytest.raises(Cancelled):
        render_video(project, tmp_path / "p", out, ctx)
    assert not out.exists()
    assert not list(out.parent.glob("*.part"))


def test_unreadable_picture_is_drawn_as_placeholder(tmp_path):
    project = build_project(tmp_path / "p", size=SIZE, voices=(1.0,), cues=False)
    (tmp_path / "p" / project.scenes[0].image.path).write_bytes(b"not a png")
    renderer = Renderer(project, tmp_path / "p")
    seg = renderer.timeline.scenes()[0]
    frame = renderer.frame_at((seg.start + seg.end) / 2)
    assert frame.size == SIZE
    assert renderer.problems and "scene 1" in renderer.problems[0]


def test_full_disk_is_reported_as_a_sentence():
    # ffmpeg really writing to /dev/full gets ENOSPC; our message must say so.
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    proc = ffmpeg.run(["-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=s=64x64:d=0.2",
                       "-c:v", "libx264", "-f", "mp4", "/dev/full"], timeout=60)
    assert proc.returncode != 0
    err = ffmpeg.failure(proc.stderr, Path("video.mp4"), returncode=proc.returncode)
    assert isinstance(err, DiskFullError)
    assert "disk is full" in str(err) and "Disk penuh" in err.text("id")
    other = ffmpeg.failure("Invalid data found when processing input", Path("v.mp4"), returncode=1)
    assert isinstance(other, EngineFailed) and "v.mp4" in str(other)


def test_encoder_falls_back_to_libx264_when_hardware_is_absent(monkeypatch):
    monkeypatch.setenv(ffmpeg.ENCODER_ENV, "h264_nvenc")  # no NVIDIA GPU on the test machine
    enc = ffmpeg.pick_encoder()
    if enc.hardware:
        pytest.skip("this machine really has a working NVENC")
    assert enc.name == "libx264"
    monkeypatch.setenv(ffmpeg.ENCODER_ENV, "software")
    assert ffmpeg.pick_encoder().name == "libx264"


def test_yuv_planes_round_trip_and_transitions():
    rng = np.random.default_rng(1)
    rgb = Image.fromarray(rng.integers(0, 256, (16, 12, 3), dtype=np.uint8)).resize((96, 128), Image.BILINEAR)
    back = np.asarray(Planes.from_rgb(rgb).to_rgb(), dtype=np.int16)
    err = np.abs(back - np.asarray(rgb, dtype=np.int16))
    assert err.mean() < 4.0  # 4:2:0 loses some colour detail, never the picture
    white = Planes.from_rgb(Image.new("RGB", (32, 32), (255, 255, 255)))
    red = Planes.from_rgb(Image.new("RGB", (32, 32), (255, 0, 0)))
    assert np.asarray(white.y).min() == 235 and np.asarray(white.u).max() == 128  # tv range
    mid_dip = np.asarray(combine("dip_black", white, red, 0.5).to_rgb())
    assert mid_dip.max() <= 1  # half way through a dip: black
    half = np.asarray(combine("crossfade", white, red, 0.5).to_rgb(), dtype=np.int16)
    assert np.all(np.abs(half[16, 16] - [255, 128, 128]) <= 3)
    push = np.asarray(combine("slide", white, red, 0.5).to_rgb(), dtype=np.int16)
    assert push[16, 2].tolist() == [255, 255, 255] and abs(push[16, 29][1]) <= 3  # old left, new right



def test_yuv_planes_from_rgb_match_the_bt709_formula_within_one_level():
    from studio.pipeline.render.yuv import _even_pad, _half, _to_ycc

    rng = np.random.default_rng(2)
    for shape in ((64, 48), (33, 17)):  # odd sizes are padded
        rgb = rng.integers(0, 256, (*shape, 3), dtype=np.uint8)
        planes = Planes.from_rgb(Image.fromarray(rgb))
        y, cb, cr = _to_ycc(_even_pad(rgb))
        for got, want in ((planes.y, y), (planes.u, _half(cb)), (planes.v, _half(cr))):
            want = np.clip(want + 0.5, 0, 255).astype(np.int16)
            assert np.asarray(got).shape == want.shape
            assert np.abs(np.asarray(got, dtype=np.int16) - want).max() <= 1

def test_ffmpeg_process_reports_progress():
    seen = []
    proc = ffmpeg.FfmpegProcess(["-f", "lavfi", "-i", "testsrc2=s=64x64:r=30:d=1", "-f", "null", "-"],
                                on_progress=seen.append)
    assert proc.finish(timeout=60) == 0
    assert seen and seen[-1]["progress"] == "end" and int(seen[-1]["frame"]) == 30


def test_cards_take_their_accent_and_background_from_the_preset(tmp_path, monkeypatch) -> None:
    """An organiser's preset styles the title card: its accent colour and a plain background."""
    import os

    import numpy as np

    from studio.pipeline.render.renderer import Renderer

    user = Path(os.environ["STUDIO_HOME"]) / "data" / "presets" / "competitions"
    user.mkdir(parents=True, exist_ok=True)
    (user / "biru-test.toml").write_text(
        'id = "biru-test"\nname = "Lomba Biru"\n[style]\naccent = "#1E90FF"\ncard_background = "gradient"\n',
        encoding="utf-8")
    try:
        project = build_project(tmp_path / "p")
        house = np.asarray(Renderer(project, tmp_path / "p").frame_at(0.5), dtype=np.int32)
        project.preset = "biru-test"
        styled = np.asarray(Renderer(project, tmp_path / "p").frame_at(0.5), dtype=np.int32)
    finally:
        (user / "biru-test.toml").unlink()

    def accent_pixels(frame, rgb):
        return int((np.abs(frame - np.array(rgb)).sum(axis=2) < 60).sum())

    assert accent_pixels(house, (245, 196, 82)) > 50 and accent_pixels(house, (30, 144, 255)) == 0
    assert accent_pixels(styled, (30, 144, 255)) > 50 and accent_pixels(styled, (245, 196, 82)) == 0
    # "gradient": the first scene's picture is not behind the title any more.
    assert np.abs(styled - house).mean() > 5


def test_scene_number_kicker_is_off_by_default_and_drawn_when_asked(tmp_path):
    project = build_project(tmp_path / "p", size=SIZE, voices=(1.0, 1.0))
    assert project.render.scene_numbers is False
    t = (lambda seg: (seg.start + seg.end) / 2)(Renderer(project, tmp_path / "p").timeline.scenes()[1])
    plain = np.asarray(Renderer(project, tmp_path / "p").frame_at(t), np.int16)
    project.render.scene_numbers = True
    numbered = np.asarray(Renderer(project, tmp_path / "p").frame_at(t), np.int16)
    changed = np.abs(plain - numbered).sum(axis=2) > 60
    rows = np.nonzero(changed.any(axis=1))[0]
    assert rows.size > 0 and rows.max() < SIZE[1] * 0.25  # a small kicker near the top
