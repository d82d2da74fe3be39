"""``clips.edit_clip``: the window's clip card changes a scene's clip through it (issue 15)."""

from __future__ import annotations

import pytest

from studio.core.errors import UsageError
from studio.core.project import ClipAsset
from studio.pipeline.images.clips import edit_clip


def _clip(**kw) -> ClipAsset:  # noqa: ANN003
    base = dict(path="images/s1-clip-ab.mp4", duration=2.5, width=320, height=180, fps=30.0, has_audio=True)
    return ClipAsset(**{**base, **kw})


def test_changes_are_applied_and_the_original_is_untouched() -> None:
    clip = _clip()
    new = edit_clip(clip, start=0.5, end=2.0, fit="blur", audio="keep", speed=1.5, short="slow",
                    focus=(0.2, 0.8))
    assert (new.start, new.end, new.fit, new.audio, new.speed, new.short, new.focus_x, new.focus_y) == (
        0.5, 2.0, "blur", "keep", 1.5, "slow", 0.2, 0.8)
    assert (clip.start, clip.end, clip.fit, clip.audio, clip.speed) == (0.0, None, "crop", "duck", 1.0)
    assert new.sha256 == clip.sha256 and new.path == clip.path
    # end=None means "to the end"; leaving end out keeps it.
    assert edit_clip(new, end=None).end is None
    assert edit_clip(new, speed=1.0).end == 2.0


@pytest.mark.parametrize("changes, words", [
    ({"start": 1.0, "end": 0.5}, "harus sesudah"),
    ({"speed": 3.0}, "di luar"),
    ({"start": 2.6}, "melewati akhirnya"),
    ({"fit": "stretch"}, "bukan pengaturan klip"),
])
def test_refused_settings_say_why(changes, words) -> None:  # noqa: ANN001
    with pytest.raises(UsageError) as err:
        edit_clip(_clip(), **changes)
    assert words in err.value.message_id


def test_a_silent_clip_cannot_keep_its_sound() -> None:
    silent = _clip(has_audio=False, audio="mute")
    with pytest.raises(UsageError, match="no sound"):
        edit_clip(silent, audio="keep")
    assert edit_clip(silent, audio="mute").audio == "mute"
