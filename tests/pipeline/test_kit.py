"""``studio kit build`` / ``kit check`` on a small package set made on disk, with real pip.

The package set: an installed "site" of dist-info folders (what importlib.metadata reads)
whose root is an editable install of a tiny source folder, and a --find-links folder of
hand-made wheels, so pip runs for real but never touches the network.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.core.errors import StudioError, UsageError
from studio.core.hashing import file_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.engines.models.catalog import get_spec
from studio.engines.models.manager import write_manifest
from studio.pipeline.kit import build, check
from studio.pipeline.kit.closure import dependency_closure

ROOT_REQUIRES = ["kit-a>=2", 'kit-b; extra == "extra1"', 'kit-never; python_version < "3"']


def _dist_info(site: Path, name: str, version: str, requires: list[str], direct_url: dict | None = None) -> None:
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    if any("extra ==" in r for r in requires):
        lines.append("Provides-Extra: extra1")
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")


def _wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal valid pure-Python wheel (RECORD with real hashes, so pip accepts it)."""
    mod = name.replace("-", "_")
    files = {f"{mod}/__init__.py": f"VERSION = {version!r}\n",
             f"{mod}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{mod}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                                 "Tag: py3-none-any\n"}
    record = []
    for rel, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{rel},sha256={digest},{len(text.encode())}")
    record.append(f"{mod}-{version}.dist-info/RECORD,,")
    files[f"{mod}-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    path = folder / f"{mod}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for rel, text in files.items():
            z.writestr(rel, text)
    return path


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("kitroom")
    src = base / "src"
    (src / "kit_root").mkdir(parents=True)
    (src / "kit_root" / "__init__.py").write_text("", encoding="utf-8")
    (src / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "kit-root"\nversion = "1.0"\ndependencies = ["kit-a>=2"]\n'
        '[project.optional-dependencies]\nextra1 = ["kit-b"]\n', encoding="utf-8")
    site = base / "site"
    _dist_info(site, "kit-root", "1.0", ROOT_REQUIRES, {"url": src.as_uri(), "dir_info": {"editable": True}})
    _dist_info(site, "kit-a", "2.1", [])
    _dist_info(site, "kit-b", "0.3", [])
    links = base / "links"
    links.mkdir()
    for name, version in (("kit-a", "2.0"), ("kit-a", "2.1"), ("kit-a", "2.2"), ("kit-b", "0.3")):
        _wheel(links, name, version)
    # A model the build machine has: TAESD's layout (config + weights), prepared by the app.
    mp = pytest.MonkeyPatch()
    app_models = base / "app-models"
    mp.setenv("STUDIO_MODELS_DIR", str(app_models))
    spec = get_spec("taesd")
    folder = app_models / spec.folder
    folder.mkdir(parents=True)
    (folder / "config.json").write_text('{"_class_name": "AutoencoderTiny"}', encoding="utf-8")
    (folder / "diffusion_pytorch_model.safetensors").write_bytes(bytes(range(256)) * 4000)
    write_manifest(folder, spec, {p.name: {"size": p.stat().st_size, "sha256": file_sha256(p)}
                                  for p in folder.iterdir()}, source="test")
    kit = base / "kit"
    messages: list[str] = []
    build.build_kit(kit, JobContext("kit", lambda p: messages.append(p.message)), model_ids=["taesd"],
                    root="kit-root", metadata_path=[str(site)],
                    pip_args=["--no-index", "--find-links", str(links)])
    yield {"base": base, "site": site, "links": links, "kit": kit, "app_models": app_models, "src": src}
    mp.undo()


def _laptop(room: dict[str, Path], tmp_path: Path) -> Path:
    """What install.sh does with the models: copy them where the app looks."""
    models = tmp_path / "laptop-models"
    shutil.copytree(room["kit"] / "models", models)
    return models


def test_closure_follows_requirements_markers_and_extras(room: dict[str, Path]) -> None:
    site = [str(room["site"])]
    assert [(d.name, d.version) for d in dependency_closure("kit-root", path=site)] == \
        [("kit-root", "1.0"), ("kit-a", "2.1")]
    with_extra = dependency_closure("Kit_Root", ["extra1"], path=site)
    assert [d.name for d in with_extra] == ["kit-root", "kit-a", "kit-b"]
    assert with_extra[0].source == room["src"] and with_extra[1].source is None
    assert with_extra[2].required_by == "kit-root"


def test_closure_names_what_is_not_installed(tmp_path: Path) -> None:
    _dist_info(tmp_path, "lonely", "1.0", ["kit-gone>=1"])
    with pytest.raises(UsageError, match="kit-gone, which lonely requires, is not installed"):
        dependency_closure("lonely", path=[str(tmp_path)])


def test_the_kit_holds_exact_wheels_models_scripts_and_manifest(room: dict[str, Path]) -> None:
    kit = room["kit"]
    manifest = json.loads((kit / "kit.json").read_text(encoding="utf-8"))
    wheels = sorted(p.name for p in (kit / "wheels").iterdir())
    assert wheels == ["kit_a-2.1-py3-none-any.whl", "kit_root-1.0-py3-none-any.whl"]  # 2.1 exactly, no extra
    by_name = {p["name"]: p for p in manifest["packages"]}
    assert by_name["kit-a"]["sha256"] == file_sha256(kit / "wheels" / by_name["kit-a"]["file"])
    assert by_name["kit-a"]["origin"].endswith("kit_a-2.1-py3-none-any.whl")
    assert by_name["kit-root"]["origin"] == str(room["src"])  # built from its source folder
    assert manifest["install"]["requirement"] == "kit-root==1.0"
    files = manifest["models"]["taesd"]["files"]
    weights = kit / "models" / "taesd" / "diffusion_pytorch_model.safetensors"
    assert files["diffusion_pytorch_model.safetensors"]["sha256"] == file_sha256(weights)
    assert (kit / "models" / "taesd" / "studio-model.json").is_file()
    sh = (kit / "install.sh").read_text(encoding="utf-8")
    assert '--no-index --find-links "$KIT/wheels" "kit-root==1.0"' in sh and "kit check" in sh
    assert subprocess.run(["sh", "-n", str(kit / "install.sh")]).returncode == 0
    ps1 = (kit / "install.ps1").read_text(encoding="utf-8")
    assert "This kit was built on linux" in ps1  # Linux wheels: the Windows script says so and stops
    assert not list(kit.parent.glob(".kit.partial"))


def test_install_from_the_wheelhouse_alone(room: dict[str, Path], tmp_path: Path) -> None:
    """The wheelhouse is enough: pip installs the root and its closure with no index at all."""
    target = tmp_path / "target"
    done = subprocess.run([sys.executable, "-m", "pip", "--isolated", "install", "--no-index", "--target", str(target),
                           "--find-links", str(room["kit"] / "wheels"), "kit-root==1.0"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "kit_a" / "__init__.py").read_text() == "VERSION = '2.1'\n"


def test_round_trip_check_passes_with_smoke_run(room: dict[str, Path], tmp_path: Path) -> None:
    rows = check.check_kit(room["kit"], JobContext("check"), metadata_path=[str(room["site"])],
                           models_dir=_laptop(room, tmp_path))
    assert all(r.ok for r in rows), check.table(rows)
    assert {r.kind for r in rows} == {"python", "package", "model", "smoke"}
    assert [r.name for r in rows if r.kind == "package"] == ["kit-root", "kit-a"]


def test_a_tampered_model_file_is_named(room: dict[str, Path], tmp_path: Path) -> None:
    models = _laptop(room, tmp_path)
    weights = models / "taesd" / "diffusion_pytorch_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF
    weights.write_bytes(bytes(data))
    rows = check.check_kit(room["kit"], JobContext("check"), metadata_path=[str(room["site"])],
                           models_dir=models, smoke=False)
    bad = [r for r in rows if not r.ok]
    assert [(r.kind, r.name) for r in bad] == [("model", "taesd")]
    assert bad[0].note == "diffusion_pytorch_model.safetensors checksum differs"
    assert check.table(rows).splitlines()[1].startswith("FAIL")  # failures first


def test_a_version_mismatch_is_named(room: dict[str, Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(room["site"], site)
    meta = site / "kit_a-2.1.dist-info" / "METADATA"
    meta.write_text(meta.read_text().replace("Version: 2.1", "Version: 2.2"))
    rows = check.check_kit(room["kit"], JobContext("check"), metadata_path=[str(site)],
                           models_dir=_laptop(room, tmp_path), smoke=False)
    bad = [r for r in rows if not r.ok]
    assert [(r.name, r.note) for r in bad] == [("kit-a", "installed 2.2, kit has 2.1")]


def test_cli_check_exits_1_naming_what_is_missing_and_2_without_a_kit(room: dict[str, Path], tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.cli import main

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(_laptop(room, tmp_path)))
    assert main(["kit", "check", str(room["kit"]), "--no-smoke"]) == 1  # this venv has no kit-root
    out = capsys.readouterr().out
    assert "FAIL  package  kit-root" in out and "not installed" in out
    assert "ok    model    taesd" in out
    assert main(["kit", "check", str(tmp_path)]) == 2
    assert "is not a Studio Lokal kit" in capsys.readouterr().err


def test_a_damaged_model_stops_the_build_and_leaves_nothing(room: dict[str, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    shutil.copytree(room["app_models"], models)
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(models))
    weights = models / "taesd" / "diffusion_pytorch_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[7] ^= 0x01  # same size: only the checksum taken while copying can tell
    weights.write_bytes(bytes(data))
    dest = tmp_path / "kit"
    with pytest.raises(StudioError, match=r"diffusion_pytorch_model\.safetensors of TAESD tiny VAE decoder .* "
                                          r"is damaged"):
        build.build_kit(dest, JobContext("kit"), model_ids=["taesd"], wheels=False, root="kit-root",
                        metadata_path=[str(room["site"])])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models"]  # no kit, no hidden partial folder


def test_cancel_removes_the_partial_kit(room: dict[str, Path], tmp_path: Path) -> None:
    jobs: list[JobContext] = []
    ctx = JobContext("kit", lambda p: jobs[0].cancel() if p.done >= 1 else None)  # cancel after the first wheel
    jobs.append(ctx)
    with pytest.raises(Cancelled):
        build.build_kit(tmp_path / "kit", ctx, model_ids=[], root="kit-root", metadata_path=[str(room["site"])],
                        pip_args=["--no-index", "--find-links", str(room["links"])])
    assert list(tmp_path.iterdir()) == []


def test_bad_destinations_are_one_sentence_and_the_missing_model_is_named(room: dict[str, Path],
                                                                         tmp_path: Path) -> None:
    args = {"wheels": False, "root": "kit-root", "metadata_path": [str(room["site"])], "model_ids": []}
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something.txt").write_text("x")
    with pytest.raises(UsageError, match="is not an empty folder"):
        build.build_kit(tmp_path / "full", JobContext("kit"), **args)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(UsageError, match="The kit cannot be written in") as err:
        build.build_kit(tmp_path / "a-file" / "kit", JobContext("kit"), **args)
    assert str(err.value).count(". ") == 0
    with pytest.raises(UsageError, match="sd-turbo is not on this computer"):
        build.build_kit(tmp_path / "k", JobContext("kit"), **{**args, "model_ids": ["sd-turbo"]})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "full"]


def test_the_app_wheel_carries_its_presets(tmp_path: Path) -> None:
    """A wheel install has no checkout beside it: the built-in presets must travel inside the wheel."""
    from studio import __version__
    from studio.core import paths
    from studio.pipeline.kit.closure import Dist
    from studio.pipeline.kit.wheels import fetch_wheel

    source = build.studio_source()
    assert source is not None
    wheel = fetch_wheel(Dist("studio-lokal", __version__, "", source), tmp_path, JobContext("kit"))
    names = zipfile.ZipFile(tmp_path / wheel.file).namelist()
    shipped = {n.rsplit("/presets/", 1)[1] for n in names if "/data/share/studio-lokal/presets/" in n}
    in_checkout = {p.relative_to(paths.presets_dir()).as_posix() for p in paths.presets_dir().rglob("*")
                   if p.is_file()}
    assert shipped == in_checkout and "competitions/ai-local-content-2025.toml" in shipped


def test_a_wheel_origin_never_carries_index_credentials() -> None:
    from studio.pipeline.kit.wheels import public_origin

    url = "https://trainer:s3cr3t-token@pypi.kelas.example/simple/srt/srt-3.5.3.tar.gz"
    assert public_origin(url) == "https://pypi.kelas.example/simple/srt/srt-3.5.3.tar.gz"
    assert public_origin("/opt/wheels/torch-2.13.0+cpu-cp311-cp311-linux_x86_64.whl").endswith(".whl")
