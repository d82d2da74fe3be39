"""Playback cannot deadlock: play and stop 200 times, with the player destroyed and made again,
under offscreen Qt. Before the fix a direct stop() could wait on QtMultimedia's mutex while
holding the GIL that the media thread needed (issue 16 #2); a hang here fails by the timeout."""

from __future__ import annotations

import pytest

from studio.ui.widgets.media import Player
from ui_helpers import tone_wav as _tone


@pytest.mark.timeout(300)
def test_play_and_stop_200_times_and_recreate_the_player(qtbot, qapp, tmp_path) -> None:  # noqa: ANN001
    a, b = _tone(tmp_path / "a.wav"), _tone(tmp_path / "b.wav", 0.3)
    player = Player()
    started = stopped = 0
    for i in range(200):
        player.play(a if i % 2 else b, start=0.05 * (i % 3))
        qtbot.waitUntil(lambda: player._player is not None and player._player.source().isValid(), timeout=5000)
        qtbot.wait(1 + i % 7)  # stop at different moments of the media threads' start-up
        started += 1
        if i % 3 == 0:
            player.release()
        else:
            player.stop()
        qtbot.waitUntil(lambda: not player.playing, timeout=5000)
        stopped += 1
        if i % 20 == 19:  # destroy and make again, the way a page does when it closes
            old = player._player
            player.dispose()
            qtbot.waitUntil(lambda: _deleted(old), timeout=5000)
            player.deleteLater()
            player = Player()
    player.dispose()
    assert (started, stopped) == (200, 200)


def _deleted(obj) -> bool:  # noqa: ANN001
    from shiboken6 import isValid

    return not isValid(obj)
