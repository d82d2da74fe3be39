"""A cropped clip reaches the render as YUV 4:2:0 planes straight from the decoded
planes (issue 15 item 7): one libswscale pass (crop, scale, matrix to BT.709, tv range)
with no RGB in between. These check that the fast path shows what the RGB path shows,
leaves a phone's BT.709 pixels untouched, treats untagged clips as players do, and that
drawing on a frame never changes the one the reader keeps. Real files, bundled ffmpeg.
"""

from __future__ import annotations

import av
import numpy as np
import pytest
from clip_samples import clip
from PIL import Image
from test_clips import frame_number

from studio.pipeline.media.video import ClipReader, clip_matrix
from studio.pipeline.render.yuv import Planes


def _decoded(name: str, index: int = 10) -> av.VideoFrame:
    with av.open(str(clip(name))) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i == index:
                return frame
    raise AssertionError("the sample is too short")


def _arrays(planes: tuple[Image.Image, ...]) -> list[np.ndarray]:
    return [np.asarray(p, dtype=np.int16) for p in planes]


def test_untagged_clips_get_the_matrix_a_player_assumes():
    assert clip_matrix(_decoded("colour_hd")) == 1  # HD untagged: BT.709
    assert clip_matrix(_decoded("colour_sd")) == 5  # SD untagged: BT.601
    assert clip_matrix(_decoded("colour_hd_601")) == 5  # a tag always wins


def test_an_hd_crop_at_its_own_size_is_the_decoded_pixels_exactly():
    # 1280x720 into 640x720: the crop is the middle 640 columns, scale 1, BT.709 to BT.709.
    reader = ClipReader(clip("colour_hd"), (640, 720), cover=True, crop=(0.5, 0.5))
    try:
        assert reader.can_give_planes()
        y, u, v = _arrays(reader.planes(10 / 30))
    finally:
        reader.close()
    src = _decoded("colour_hd")
    want = [np.frombuffer(p, np.uint8).reshape(-1, p.line_size) for p in src.planes]
    assert np.array_equal(y, want[0][:720, 320:960])
    assert np.array_equal(u, want[1][:360, 160:480]) and np.array_equal(v, want[2][:360, 160:480])


@pytest.mark.parametrize("name", ["colour_hd", "colour_hd_601", "colour_sd", "rotated", "counter"])
def test_planes_show_what_the_rgb_frames_show(name):
    size = (96, 128)
    fast = ClipReader(clip(name), size, cover=True, crop=(0.3, 0.6))
    slow = ClipReader(clip(name), size, cover=True, crop=(0.3, 0.6))
    try:
        for t in (0.1, 0.5, 0.2):  # back and forth
            got = np.asarray(Planes(*fast.planes(t)).to_rgb(), dtype=np.float64)
            # What the render drew from the RGB frame (still its path for a blur fit).
            want = np.asarray(Planes.from_rgb(slow.frame(t)).to_rgb(), dtype=np.float64)
            # Chroma is resampled once instead of twice: about a level, more only at hard colour edges.
            mse = float(np.mean((got - want) ** 2))
            assert 10 * np.log10(255.0 ** 2 / max(mse, 1e-9)) > 38 and np.abs(got - want).mean() < 1.5, (name, t)
    finally:
        fast.close()
        slow.close()


def test_a_bt601_clip_is_converted_to_bt709():
    reader = ClipReader(clip("colour_hd_601"), (640, 720), cover=True, crop=(0.5, 0.5))
    try:
        y = _arrays(reader.planes(10 / 30))[0]
    finally:
        reader.close()
    src = _decoded("colour_hd_601")
    stored = np.frombuffer(src.planes[0], np.uint8).reshape(-1, src.planes[0].line_size)[:720, 320:960]
    assert np.abs(y - stored.astype(np.int16)).mean() > 3  # a different matrix: a different luma


def test_drawing_on_a_frame_leaves_the_kept_frame_as_decoded():
    reader = ClipReader(clip("counter"), (96, 128), cover=True, crop=(0.5, 0.5))
    try:
        first = reader.planes(2.4)  # past the end: the last frame, held (asked again and again)
        before = _arrays(first)
        for plane in first:
            plane.paste(255, (0, 0, plane.width // 2, plane.height // 2))
        again = _arrays(reader.planes(2.4))
        assert all(np.array_equal(a, b) for a, b in zip(before, again))
        assert not np.array_equal(_arrays(first)[0], before[0])  # the copy drawn on did change
    finally:
        reader.close()


def test_a_reader_goes_back_to_the_start_after_reading_on():
    for kind in ("rgb", "planes"):
        reader = ClipReader(clip("counter"), (96, 128), cover=True, crop=(0.5, 0.5))
        try:
            def number(t: float, kind: str = kind, reader: ClipReader = reader) -> float:
                if kind == "rgb":
                    return frame_number(reader.frame(t))
                return frame_number(Planes(*reader.planes(t)).to_rgb())

            assert number(2.0) == pytest.approx(60, abs=0.7)
            assert number(0.0) == pytest.approx(0, abs=0.7), kind
            assert number(0.5) == pytest.approx(15, abs=0.7)
        finally:
            reader.close()


def test_two_threads_converting_at_once_each_get_their_own_frame():
    from concurrent.futures import ThreadPoolExecutor

    times = [k / 30 + 0.01 for k in range(60)] + [1.01, 0.51, 1.51]  # in order as a render asks, then back

    def numbers(workers: int) -> list[float]:
        reader = ClipReader(clip("counter"), (96, 128), cover=True, crop=(0.5, 0.5))
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                return list(pool.map(lambda t: frame_number(Planes(*reader.planes(t)).to_rgb()), times))
        finally:
            reader.close()

    together = numbers(2)
    assert together == numbers(1)
    assert together == pytest.approx([int(t * 30) for t in times], abs=1.0)
