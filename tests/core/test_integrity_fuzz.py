"""Asset verification, and fuzzing of the project loader: whatever bytes are in
project.json, loading either succeeds or raises a ProjectError with a sentence."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core import storage
from studio.core.errors import ProjectError
from studio.core.hashing import file_sha256
from studio.core.integrity import relink_candidates, verify_assets
from studio.core.project import ImageAsset, Project, Scene, VoiceAsset

EXAMPLES = int(os.environ.get("STUDIO_FUZZ_EXAMPLES", "150"))
FIXTURE = (Path(__file__).parent.parent / "data" / "projects" / "v1" / "project.json").read_text(encoding="utf-8")


def test_verify_assets_reports_each_problem(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "images").mkdir(parents=True)
    good = root / "images" / "good.png"
    good.write_bytes(b"png")
    (root / "images" / "empty.png").write_bytes(b"")
    (root / "images" / "moved").mkdir()
    (root / "images" / "moved" / "lost.png").write_bytes(b"x")
    project = Project(scenes=[
        Scene(id="a", image=ImageAsset(path="images/good.png", origin="own", sha256=file_sha256(good))),
        Scene(id="b", image=ImageAsset(path="images/lost.png", origin="own")),
        Scene(id="c", image=ImageAsset(path="../escape.png", origin="own")),
        Scene(id="d", image=ImageAsset(path="images/empty.png", origin="own")),
        Scene(id="e", voice=VoiceAsset(path="images/good.png", origin="tts", sha256="0" * 64)),
    ])
    issues = {(i.scene_id, i.problem) for i in verify_assets(root, project)}
    assert issues == {("b", "missing"), ("c", "outside"), ("d", "empty"), ("e", "changed")}
    lost = next(i for i in verify_assets(root, project) if i.problem == "missing")
    assert relink_candidates(root, lost) == ["images/moved/lost.png"]
    assert "relink" in lost.sentence() and "sambungkan" in lost.sentence("id")


def _load_text(tmp: Path, text: str | bytes) -> None:
    path = tmp / "project.json"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(text)
    try:
        storage.load_project(tmp)
    except ProjectError as exc:
        assert str(exc).strip() and str(exc).rstrip().endswith((".", ")")), str(exc)
        assert exc.text("id").strip()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(FIXTURE)))
def test_truncated_fixture_never_crashes_the_loader(tmp_path: Path, cut: int) -> None:
    _load_text(tmp_path, FIXTURE[:cut])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash_the_loader(tmp_path: Path, data: bytes) -> None:
    _load_text(tmp_path, data)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


_ALL_PATHS = [p for p in _paths(json.loads(FIXTURE)) if p]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(_ALL_PATHS), value=_json_values)
def test_hand_edited_fields_load_or_fail_with_a_sentence(tmp_path: Path, where: tuple, value: object) -> None:
    data = json.loads(FIXTURE)
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    _load_text(tmp_path, json.dumps(data))
