"""Clips as scenes (issue 15): the model round-trip and load checks, the streamed
reader (timestamps, VFR, rotation, corrupt tail) and an exported MP4 whose frames
show each clip upright, in its chosen range, with captions over it and its sound in
the mix at the loudness target. Every clip is a real file made with the bundled ffmpeg.
"""

from __future__ import annotations

import json
import shutil

import av
import numpy as np
import pytest

from clip_samples import clip
from render_fixtures import build_project
from studio.core.errors import MediaError, ProjectFormatError
from studio.core.jobs import JobContext
from studio.core.project import ClipAsset
from studio.core.storage import load_project, save_project
from studio.pipeline.media.audio import measure_loudness
from studio.pipeline.media.video import ClipReader, probe_clip
from studio.pipeline.render.clip import play_speed, source_time
from studio.pipeline.render.renderer import Renderer, render_video

LUMA_STEP = 3 * 255 / 219
"""Brightness (full-range grey) one frame number adds in the ``counter`` clips."""


def frame_number(img) -> float:
    return float(np.asarray(img.convert("L"), dtype=np.float64).mean()) / LUMA_STEP


# ------------------------------------------------------------------ model


def test_clip_round_trips_and_bad_values_are_refused(tmp_path):
    root = tmp_path / "p"
    project = build_project(root, voices=(1.0,), cues=False)
    project.scenes[0].clip = ClipAsset(path="images/c.mp4", start=1.0, end=2.0, fit="blur", focus_x=0.3,
                                       speed=1.5, audio="keep", short="slow", duration=2.5, width=320,
                                       height=180)
    save_project(root, project)
    back = load_project(root).scenes[0].clip
    assert back == project.scenes[0].clip
    assert ClipAsset(path="x.mp4").short == "hold" and ClipAsset(path="x.mp4").audio == "duck"
    data = json.loads((root / "project.json").read_text())
    for field, value in (("speed", 3.0), ("focus_y", 1.5), ("end", 0.5), ("start", 9.0)):
        bad = json.loads(json.dumps(data))
        bad["scenes"][0]["clip"][field] = value
        if field == "start":
            bad["scenes"][0]["clip"]["end"] = None
        (root / "project.json").write_text(json.dumps(bad))
        with pytest.raises(ProjectFormatError, match=f"clip.{field}"):
            load_project(root)
    bad = json.loads(json.dumps(data))
    bad["scenes"][0]["clip"]["path"] = "../outside.mp4"
    (root / "project.json").write_text(json.dumps(bad))
    with pytest.raises(Exception, match="outside|luar"):
        load_project(root)


def test_source_time_speed_hold_and_slow():
    c = ClipAsset(path="c.mp4", start=1.0, end=2.0, duration=3.0)
    assert source_time(c, 0.5, 4.0) == pytest.approx(1.5)
    assert source_time(c, 3.0, 4.0) == pytest.approx(2.0, abs=0.01)  # holds the last frame
    fast = c.model_copy(update={"speed": 2.0})
    assert source_time(fast, 0.25, 4.0) == pytest.approx(1.5)
    slow = c.model_copy(update={"short": "slow"})
    assert play_speed(slow, 1.6) == pytest.approx(1 / 1.6)
    assert source_time(slow, 0.8, 1.6) == pytest.approx(1.5)
    assert play_speed(slow, 4.0) == 0.5  # never slower than half speed; then it holds


# ------------------------------------------------------------------ reader


def test_reader_seeks_by_timestamp_on_a_variable_frame_rate_clip():
    reader = ClipReader(clip("vfr"), (320, 320))
    try:
        # Frame N<30 sits at N/30 s; N>=30 at 1 + (N-30)/10 s.
        for t, n in ((0.5, 15), (0.99, 29), (1.0, 30), (1.15, 31), (1.5, 35), (2.0, 40), (0.3, 9)):
            assert frame_number(reader.frame(t)) == pytest.approx(n, abs=0.6), t
    finally:
        reader.close()


def test_reader_streams_rather_than_holding_the_clip():
    reader = ClipReader(clip("counter"), (320, 320))
    try:
        reader.frame(2.0)
        # Seeked to the keyframe before 2 s (x264 puts one every 250 frames: here frame 0),
        # decoded forward, and kept only a few frames.
        assert len(reader._recent) <= 4
    finally:
        reader.close()


def test_rotation_metadata_gives_an_upright_picture():
    facts = probe_clip(clip("rotated"))
    assert (facts.width, facts.height, facts.rotation) == (180, 320, 90)
    reader = ClipReader(clip("rotated"), (400, 400))
    img = np.asarray(reader.frame(0.5).convert("L"), dtype=np.float64)
    reader.close()
    assert img.shape == (320, 180)
    # Stored bright on the left; turned 90° counter-clockwise, that half is at the bottom.
    assert img[200:].mean() > 200 and img[:120].mean() < 40



@pytest.mark.parametrize("name", ["half_bright", "rotated", "counter"])
def test_crop_is_cut_from_the_planes_around_the_focus_like_a_whole_frame_fit(name):
    from PIL import Image, ImageOps

    size = (96, 128)  # portrait: a landscape clip is cropped at the sides, a portrait one at the top
    whole = ClipReader(clip(name), size, cover=True)
    try:
        for focus in ((0.0, 0.5), (1.0, 0.5), (0.5, 0.0), (0.3, 0.9)):
            cropped = ClipReader(clip(name), size, cover=True, crop=focus)
            try:
                for t in (0.2, 1.3):
                    got = cropped.frame(t)
                    want = ImageOps.fit(whole.frame(t), size, method=Image.BILINEAR, centering=focus)
                    assert got.size == size and got.mode == "RGB"
                    diff = np.abs(np.asarray(got, dtype=np.int16) - np.asarray(want, dtype=np.int16))
                    assert diff.mean() < 6.0, (name, focus, t, diff.mean())
            finally:
                cropped.close()
    finally:
        whole.close()
    # The focus picks the side: bright left half of the landscape clip, or dark right half.
    left = ClipReader(clip("half_bright"), size, crop=(0.0, 0.5))
    right = ClipReader(clip("half_bright"), size, crop=(1.0, 0.5))
    try:
        assert np.asarray(left.frame(0.5).convert("L")).mean() > 200
        assert np.asarray(right.frame(0.5).convert("L")).mean() < 40
    finally:
        left.close()
        right.close()

def test_corrupt_tail_uses_what_decodes_and_says_so():
    reader = ClipReader(clip("corrupt_tail"), (320, 320))
    good = frame_number(reader.frame(1.0))
    late = reader.frame(2.4)
    assert good == pytest.approx(30, abs=0.6)
    assert reader.problems and "damaged" in reader.problems[0]
    assert frame_number(late) < 72  # the last good frame, held
    reader.close()


@pytest.mark.parametrize("name, words", [("audio_only", "only sound"), ("ten_bit", "10-bit")])
def test_unusable_files_are_refused_with_a_sentence(name, words, tmp_path):
    with pytest.raises(MediaError, match=words):
        probe_clip(clip(name))
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all")
    with pytest.raises(MediaError, match="not a video file"):
        probe_clip(text)


# ------------------------------------------------------------------ export


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("clips") / "p"
    project = build_project(root, size=(180, 320), fps=30, voices=(1.2, 1.2, 1.0),
                            transitions=("cut",), title_card=False, end_card=False)
    shutil.copy(clip("counter"), root / "images" / "counter.mp4")
    shutil.copy(clip("rotated"), root / "images" / "rotated.mp4")
    project.scenes[0].clip = ClipAsset(path="images/counter.mp4", start=1.0, end=2.4, fit="crop",
                                       audio="keep", duration=2.5, width=320, height=180, has_audio=True)
    project.scenes[1].clip = ClipAsset(path="images/rotated.mp4", fit="blur", audio="mute", duration=2.0,
                                       width=180, height=320, rotation=90)
    save_project(root, project)
    out = root / "export" / "video.mp4"
    result = render_video(project, root, out, JobContext("render"))
    with av.open(str(out)) as c:
        frames = [f.to_image() for f in c.decode(video=0)]
    return project, root, result, frames


def test_export_shows_each_clip_in_range_and_upright(exported, tmp_path):
    project, root, result, frames = exported
    tl = Renderer(project, root).timeline
    s0, s1, s2 = tl.scenes()
    for k in (2, 15, 30):  # scene 1 plays the counter from 1.0 s: frame 30 + k at scene frame k
        t = s0.start + k / 30
        img = frames[int(round(t * 30))]
        top = img.crop((0, 0, img.width, int(img.height * 0.6)))  # above the caption
        assert frame_number(top) == pytest.approx(30 + k, abs=1.0), k
    mid = frames[int(round((s1.start + s1.end) / 2 * 30))]
    grey = np.asarray(mid.convert("L"), dtype=np.float64)
    h = grey.shape[0]
    # Shown whole (blur fit): a portrait clip fills this portrait frame, bright half at the bottom.
    assert grey[int(h * 0.62):int(h * 0.7)].mean() > 150 and grey[int(h * 0.1):int(h * 0.4)].mean() < 60
    # The still scene after the clips still moves and shows its picture.
    assert frames[int(round((s2.start + 0.5) * 30))].getextrema() != frames[0].getextrema()
    for i, t in enumerate((s0.start + 0.6, s1.start + 0.6)):
        frames[int(round(t * 30))].save(tmp_path / f"clip-scene-{i + 1}.png")


def test_captions_draw_over_clips(exported):
    project, root, _, _ = exported
    tl = Renderer(project, root).timeline
    t = tl.scenes()[0].voice_start + 0.5
    with Renderer(project, root) as with_cues:
        a = np.asarray(with_cues.frame_at(t), dtype=np.int16)
    plain_project = project.model_copy(deep=True)  # the fixture's project stays as exported
    plain_project.subtitles.burn_in = False
    with Renderer(plain_project, root) as plain:
        b = np.asarray(plain.frame_at(t), dtype=np.int16)
    changed = np.abs(a - b).max(axis=2) > 40
    rows = np.nonzero(changed.any(axis=1))[0]
    assert rows.size and rows.min() > a.shape[0] * 0.5  # a lower-third caption, over the clip


def test_clip_sound_is_mixed_at_the_target(exported):
    project, root, result, _ = exported
    tl = Renderer(project, root).timeline
    with av.open(str(result.path)) as c:
        audio = np.concatenate([f.to_ndarray().T for f in c.decode(audio=0)])
    rate = 48000
    loud = measure_loudness(audio, rate)
    assert loud.integrated_lufs == pytest.approx(project.render.loudness_lufs, abs=1.0)

    def tone(a: float, b: float) -> float:
        part = audio[int(a * rate):int(b * rate)].mean(axis=1)
        spec = np.abs(np.fft.rfft(part * np.hanning(len(part))))
        freqs = np.fft.rfftfreq(len(part), 1 / rate)
        return float(spec[(freqs > 2480) & (freqs < 2520)].max() / (spec.mean() + 1e-12))

    s0, s1, _ = tl.scenes()
    assert tone(s0.start + 0.1, s0.end - 0.1) > 20  # "keep": its 2.5 kHz tone (above any voice harmonic)
    assert tone(s1.start + 0.1, s1.end - 0.1) < 5  # "mute" (and that clip has no sound)


def test_preview_draws_the_frames_the_export_holds(exported):
    project, root, _, frames = exported
    with Renderer(project, root) as preview:
        # Out of order on purpose: the preview scrubs back and forth over the clips.
        for index in (70, 20, 45, 5, 100):
            a = np.asarray(preview.frame_at(index / 30), dtype=np.float64)
            b = np.asarray(frames[index], dtype=np.float64)
            mse = float(np.mean((a - b) ** 2))
            assert 10 * np.log10(255.0 ** 2 / max(mse, 1e-9)) > 30, index


def test_duck_lowers_the_clips_sound_under_the_narration_and_mute_drops_it(exported):
    from studio.pipeline.render.soundtrack import mix_audio

    project, root, _, _ = exported
    seg = Renderer(project, root).timeline.scenes()[0]
    rate = 48000

    def tone_db(mode: str) -> float:
        p = project.model_copy(deep=True)
        p.scenes[0].clip.audio = mode
        mix = mix_audio(p, root, rate=rate)
        part = mix.samples[int((seg.voice_start + 0.2) * rate):int((seg.voice_end - 0.2) * rate)].mean(axis=1)
        spec = np.abs(np.fft.rfft(part * np.hanning(len(part))))
        freqs = np.fft.rfftfreq(len(part), 1 / rate)
        return 20 * np.log10(spec[(freqs > 2480) & (freqs < 2520)].max() + 1e-12)

    keep, duck, mute = tone_db("keep"), tone_db("duck"), tone_db("mute")
    assert keep - duck > 6  # music.duck_db (-10 dB by default) while the voice speaks
    assert keep - mute > 30
