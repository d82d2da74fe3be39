"""Procedural placeholder art: exact sizes, determinism, a designed (not noisy) picture with
the scene title and the honest "bukan AI" tag."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.core.jobs import Cancelled, JobContext
from studio.engines.base import ImageRequest
from studio.engines.image.placeholder import TAG_TEXT, PlaceholderImageEngine, font_path, render


def req(**over) -> ImageRequest:
    base = dict(prompt="rice terraces", width=1080, height=1920, seed=1234, title="Apa itu weton?", index=1)
    base.update(over)
    return ImageRequest(**base)


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080), (720, 720), (64, 64)])
def test_writes_a_png_of_exactly_the_requested_size(tmp_path, size):
    out = tmp_path / "x.png.part"  # the pipeline hands over a .part path
    result = PlaceholderImageEngine().generate(req(width=size[0], height=size[1]), out, JobContext("images"))
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == size and im.mode == "RGB"
    assert (result.width, result.height) == size


def test_same_request_same_bytes_other_seed_other_picture(tmp_path):
    eng = PlaceholderImageEngine()
    a = eng.generate(req(), tmp_path / "a.png", JobContext("images")).path.read_bytes()
    b = eng.generate(req(), tmp_path / "b.png", JobContext("images")).path.read_bytes()
    c = eng.generate(req(seed=99), tmp_path / "c.png", JobContext("images")).path.read_bytes()
    assert a == b
    assert a != c


def test_looks_designed_not_like_noise():
    arr = np.asarray(render(req(width=540, height=960)), np.float32)
    # Neighbouring pixels are close almost everywhere (smooth gradients and shapes)...
    assert np.mean(np.abs(np.diff(arr, axis=0))) < 4.0
    # ...yet the picture is not flat: sky, sun glow and hills differ.
    assert arr.std() > 15


def test_title_is_drawn_large_in_the_upper_middle():
    with_title = np.asarray(render(req(title="Siklus 35 hari")), np.int16)
    without = np.asarray(render(req(title="")), np.int16)
    changed = np.abs(with_title - without).sum(axis=2) > 60
    rows = np.nonzero(changed.any(axis=1))[0]
    assert rows.size > 0
    assert 0.25 < rows.mean() / 1920 < 0.45  # clear of the lower-third subtitles
    cols = np.nonzero(changed.any(axis=0))[0]
    assert cols.max() - cols.min() > 1080 * 0.4  # large


def test_corner_tag_says_it_is_not_ai():
    assert TAG_TEXT == "Ilustrasi sementara — bukan AI"
    arr = np.asarray(render(req()), np.int16)
    corner = arr[70:160, 70:560]
    assert (corner.min(axis=2) > 200).sum() > 300  # white letters
    assert (corner.max(axis=2) < 60).sum() > 300  # on a dark pill


def test_font_is_source_sans_pro_bold():
    assert Path(font_path()).name == "SourceSansPro-Bold.ttf"


def test_provenance_is_honest(tmp_path):
    result = PlaceholderImageEngine().generate(req(), tmp_path / "a.png", JobContext("images"))
    assert result.provenance.is_ai is False
    assert result.provenance.seed == 1234
    assert "bukan AI" in result.provenance.note


def test_cancelled_job_writes_nothing(tmp_path):
    ctx = JobContext("images")
    ctx.cancel()
    with pytest.raises(Cancelled):
        PlaceholderImageEngine().generate(req(), tmp_path / "a.png", ctx)
    assert not (tmp_path / "a.png").exists()


def test_no_scene_number_kicker_is_baked_into_the_picture():
    """"ADEGAN n" is for drafts; the placeholder picture itself carries only the title and tag.
    Indices 1 and 9 share a palette, so any difference would be the number."""
    a = np.asarray(render(req(width=540, height=960, index=1)), np.int16)
    b = np.asarray(render(req(width=540, height=960, index=9)), np.int16)
    assert np.array_equal(a, b)
