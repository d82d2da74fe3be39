"""The exported file itself, for each shape and frame rate (issue 4's correctness checks).

Each case renders a small real project (three pictures, abrupt tone voices, captions,
crossfade / dip-to-black / slide, title and end cards) to an MP4 and checks what PyAV,
an independent decoder, reads back: frame count and duration, every frame and every
audio packet decodes, each scene's midpoint shows that scene's picture, captions are
there exactly while a cue is, no frame is dropped or repeated inside a transition, the
loudness is in range and no voice edge clicks.
"""

from __future__ import annotations

import math

import av
import numpy as np
import pytest
from PIL import Image, ImageOps

from render_fixtures import build_project, click_peaks
from studio.core.jobs import JobContext
from studio.pipeline.media.audio import measure_loudness
from studio.pipeline.render.renderer import Renderer, render_video
from studio.pipeline.render.text import SafeArea

CASES = {
    "9:16@25": ((216, 384), 25),
    "16:9@25": ((384, 216), 25),
    "1:1@30": ((288, 288), 30),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def exported(request, tmp_path_factory):
    size, fps = CASES[request.param]
    root = tmp_path_factory.mktemp("out") / "p"
    project = build_project(root, size=size, fps=fps, voices=(1.6, 1.3, 1.8), voice_kind="tone",
                            transitions=("crossfade", "dip_black", "slide"))
    out = root / "export" / "video.mp4"
    result = render_video(project, root, out, JobContext("render"))
    with av.open(str(out)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    with av.open(str(out)) as c:
        audio = np.concatenate([f.to_ndarray().T for f in c.decode(audio=0)])  # fltp -> (n, 2)
    return project, root, result, frames, audio


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * math.log10(255.0 ** 2 / max(mse, 1e-9))


def test_frame_count_and_duration_are_exact(exported):
    project, root, result, frames, audio = exported
    tl = Renderer(project, root).timeline
    assert len(frames) == tl.frame_count == result.frames
    with av.open(str(result.path)) as c:
        v, a = c.streams.video[0], c.streams.audio[0]
        assert v.average_rate == tl.fps and v.frames == tl.frame_count
        assert (v.codec_context.width, v.codec_context.height) == (project.render.width,
                                                                   project.render.height)
        video_seconds = float(v.duration * v.time_base)
        audio_seconds = float(a.duration * a.time_base)
        assert abs(video_seconds - tl.duration) <= 1e-6  # exactly frame_count / fps
        assert abs(audio_seconds - tl.duration) <= 1.0 / tl.fps
        assert abs(c.duration / 1e6 - tl.duration) <= 1.0 / tl.fps
    assert not list(result.path.parent.glob("*.part")), "intermediate streams left behind"
    assert not (root / "render" / "mix.wav").exists()  # the soundtrack is piped, not parked


def test_everything_decodes_back(exported):
    project, root, result, frames, audio = exported
    with av.open(str(result.path)) as c:
        packets = {"video": 0, "audio": 0}
        for packet in c.demux():
            if packet.size:
                packets[packet.stream.type] += 1
                for frame in packet.decode():  # raises on any corrupt packet
                    assert frame is not None
    assert packets["video"] == len(frames)
    assert abs(len(audio) / 48000 - result.duration) <= 0.05  # AAC frames cover the whole video
    assert all(f.shape == (project.render.height, project.render.width, 3) for f in frames)


def _small(img: Image.Image, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(img.convert("L").resize(size, Image.BILINEAR), dtype=np.float64)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / math.sqrt((a * a).sum() * (b * b).sum() + 1e-9))


def test_each_scene_midpoint_shows_its_own_picture(exported):
    project, root, result, frames, _ = exported
    tl = Renderer(project, root).timeline
    w, h = project.render.width, project.render.height
    thumb = (max(8, w // 8), max(8, h // 8))
    pictures = [_small(ImageOps.fit(Image.open(root / s.image.path).convert("RGB"), (w, h)), thumb)
                for s in project.scenes]
    # Compare the middle band: the headline chip (top) and the caption (bottom) cover the rest.
    band = slice(int(thumb[1] * 0.3), int(thumb[1] * 0.62))
    for seg in tl.scenes():
        k = int(round((seg.start + seg.end) / 2 * tl.fps))
        got = _small(Image.fromarray(frames[k]), thumb)
        scores = [_corr(got[band], pic[band]) for pic in pictures]
        assert int(np.argmax(scores)) == seg.scene_index, (seg.scene_index, scores)
        assert scores[seg.scene_index] > 0.8, scores


def test_captions_are_there_exactly_while_a_cue_is(exported):
    project, root, result, frames, _ = exported
    plain = project.model_copy(deep=True)
    plain.subtitles.burn_in = False
    without = Renderer(plain, root)
    tl = without.timeline
    w, h = project.render.width, project.render.height
    safe = SafeArea.for_frame(w, h)
    region = (slice(int(h * 0.5), safe.bottom), slice(0, w))

    def changed(k: int) -> float:
        """Share of the caption band that differs from the caption-free frame (beyond
        compression noise)."""
        ref = np.asarray(without.frame_at(k / tl.fps), dtype=np.int16)[region]
        diff = np.abs(frames[k][region].astype(np.int16) - ref).max(axis=2)
        return float((diff > 32).mean())

    cues = project.subtitles.cues
    assert cues
    for cue in cues:
        inside = int(round((cue.start + cue.end) / 2 * tl.fps))
        assert changed(inside) > 0.08, cue.text  # the caption box is in the file
    # Between cues (transitions, cards) the file matches the caption-free frame.
    quiet = [int(round((s.start + s.transition_in_seconds / 2) * tl.fps)) for s in tl.segments[1:]]
    quiet.append(int(round(0.3 * tl.fps)))
    for k in quiet:
        assert not any(c.start <= k / tl.fps < c.end for c in cues)
        assert changed(k) < 0.005, k


def test_no_frame_dropped_or_repeated_inside_transitions(exported):
    project, root, result, frames, _ = exported
    renderer = Renderer(project, root)
    tl = renderer.timeline
    fps = tl.fps
    expected = {}

    def ref(k: int) -> np.ndarray:
        if k not in expected:
            expected[k] = np.asarray(renderer.frame_at(k / fps))
        return expected[k]

    checked = 0
    for i, seg in enumerate(tl.segments[1:], start=1):
        d = seg.transition_in_seconds
        if d <= 0:
            continue
        inside = [k for k in range(int(seg.start * fps), int((seg.start + d) * fps) + 2)
                  if 0 < (k / fps - seg.start) / d < 1]
        assert len(inside) >= round(d * fps) - 1
        for k in inside:
            # Frame k of the file is the frame for time k/fps, not its neighbour (a neighbour
            # that looks the same, as at the very start of a fade, cannot be told apart).
            own = _psnr(frames[k], ref(k))
            for j in (k - 1, k + 1):
                if _psnr(ref(j), ref(k)) < 38.0:
                    assert own > _psnr(frames[k], ref(j)) + 1.0, (seg.transition_in, k, j)
                    checked += 1
        if seg.transition_in == "crossfade":
            out_seg = tl.segments[i - 1]
            alphas = []
            for k in inside:
                a = np.asarray(renderer.segment_frame(out_seg, k / fps), dtype=np.float64)
                b = np.asarray(renderer.segment_frame(seg, k / fps), dtype=np.float64)
                f = frames[k].astype(np.float64)
                alphas.append(float(((f - a) * (b - a)).sum() / ((b - a) ** 2).sum()))
            steps = np.diff(alphas)
            assert np.all(steps > 0), alphas  # a monotonic blend: never back, never stuck
            assert np.all(np.abs(steps - 1 / (d * fps)) < 0.5 / (d * fps)), alphas
    assert checked >= 2 * 3 * (round(0.5 * fps) - 2)


def test_loudness_and_true_peak_in_range(exported):
    project, _, result, _, audio = exported
    loud = measure_loudness(audio, 48000)
    assert abs(loud.integrated_lufs - project.render.loudness_lufs) <= 1.0, loud
    assert loud.true_peak_db <= project.render.true_peak_db - 0.2, loud
    assert result.loudness_lufs is not None and abs(result.loudness_lufs - loud.integrated_lufs) < 0.1
    assert abs(result.true_peak_db - loud.true_peak_db) < 0.1


def test_voice_edges_never_click(exported):
    project, root, result, _, audio = exported
    tl = Renderer(project, root).timeline
    edges = [t for s in tl.scenes() for t in (s.voice_start, s.voice_end)]
    # The tones start and stop at full amplitude; faded edges leave nothing above 5 kHz.
    peaks = click_peaks(audio, 48000, edges)
    assert max(peaks) < -50.0, peaks
    body = click_peaks(audio, 48000, [s.voice_start + s.voice_duration / 2 for s in tl.scenes()])
    assert max(body) < -50.0, body
