"""JobContext.watch: a step sees its engine's progress reports (to time them) without changing them."""

from __future__ import annotations

from studio.core.jobs import JobContext, Progress


def test_a_watcher_sees_every_report_until_it_unwatches() -> None:
    reported: list[Progress] = []
    watched: list[float] = []
    ctx = JobContext("script", reported.append)
    unwatch = ctx.watch(lambda p: watched.append(p.done))
    ctx.progress(0, 1, "Memuat model")
    ctx.child("script", 0.5, 0.5, 1).progress(1, 1, "setengah")  # a child reports through its parent
    unwatch()
    unwatch()  # twice is harmless
    ctx.progress(1, 1, "selesai")
    assert watched == [0, 1.0]
    assert [(p.done, p.message) for p in reported] == [(0, "Memuat model"), (1.0, "setengah"), (1, "selesai")]
