"""The model manager against a real HTTP server on 127.0.0.1 laid out like the Hugging Face hub:
downloads only on request, with progress, resume (Range), checksums; a folder instead of a
download (referenced or copied); the standard Hugging Face cache layout found and verified;
and the ``studio models`` commands."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import pytest
from hub_server import COMMIT, HubServer
from tiny_diffusers import build_tiny_sd, build_tiny_taesd

from studio.cli import main
from studio.core.errors import DiskFullError, EngineFailed, EngineUnavailable
from studio.core.jobs import Cancelled, JobContext, Progress
from studio.core.settings import Settings, load_settings
from studio.engines.models import manager as mm
from studio.engines.models.catalog import catalog, get_spec, MANIFEST
from studio.engines.base import ImageRequest
from studio.engines.image.diffusion import DiffusersImageEngine
from studio.engines.llm.local import LocalChatScriptEngine

BIG = 3_000_000


@pytest.fixture(autouse=True)
def isolated(isolated_models):
    """Every test here runs against its own empty model folders (conftest's isolated_models)."""
    return isolated_models


def taesd_files(seed: int = 0) -> dict[str, bytes]:
    rng = hashlib.sha256(str(seed).encode()).digest()
    weights = (rng * (BIG // len(rng) + 1))[:BIG]
    return {"config.json": b'{"_class_name": "AutoencoderTiny"}', "README.md": b"---\nlicense: mit\n---\n",
            "diffusion_pytorch_model.safetensors": weights, "taesd_decoder.pth": b"not wanted" * 10}


def progress_log() -> tuple[list[Progress], JobContext]:
    seen: list[Progress] = []
    return seen, JobContext("download", seen.append)


# ------------------------------------------------------------------ the catalogue, never implicit


def test_catalogue_covers_every_kind_with_size_licence_and_purpose():
    specs = catalog()
    assert {s.kind for s in specs.values()} >= {"script", "image", "voice", "transcribe"}
    for s in specs.values():
        assert s.size > 0 and s.licence and s.purpose_en and s.purpose_id and s.source
    recommended = {s.id for s in specs.values() if s.recommended}
    assert {"sd-turbo", "taesd", "qwen2.5-1.5b-instruct", "whisper-base"} <= recommended
    assert specs["qwen2.5-1.5b-instruct"].licence == "Apache-2.0"
    assert specs["whisper-base"].size_exact and not specs["sd-turbo"].size_exact
    from studio.engines.models import whisper_base as models  # the voice/subtitle engineer's names still work

    assert models.WHISPER_BASE is specs["whisper-base"]
    assert models.MANIFEST == MANIFEST


def test_nothing_touches_the_network_unless_a_download_is_asked_for(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network used without a download request")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    statuses = mm.statuses(Settings())
    assert not any(st.present for st in statuses if st.spec.repo)
    image = DiffusersImageEngine.from_settings(Settings())
    assert "studio models download sd-turbo" in image.preflight()[0]
    llm = LocalChatScriptEngine.from_settings(Settings())
    assert "studio models download qwen2.5-1.5b-instruct" in llm.preflight()[0]


# ------------------------------------------------------------------ downloads


def test_download_is_verified_and_the_manifest_written_last():
    spec = get_spec("taesd")
    files = taesd_files()
    with HubServer({"madebyollin/taesd": files}) as hub:
        seen, ctx = progress_log()
        folder = mm.download(spec, ctx, base=hub.url)
    assert folder == mm.app_folder(spec)
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "config.json",
                                                        "diffusion_pytorch_model.safetensors", MANIFEST]
    assert (folder / "diffusion_pytorch_model.safetensors").read_bytes() == files["diffusion_pytorch_model.safetensors"]
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["commit"] == COMMIT and manifest["repo"] == "madebyollin/taesd"
    weights = manifest["files"]["diffusion_pytorch_model.safetensors"]
    assert weights == {"size": BIG, "sha256": hashlib.sha256(files["diffusion_pytorch_model.safetensors"]).hexdigest()}
    done = [p.done for p in seen if p.message.startswith("Mengunduh")]
    assert done == sorted(done) and done[-1] == sum(len(files[n]) for n in manifest["files"])
    assert any("MB" in p.message for p in seen)
    report = mm.verify_folder(spec, folder)
    assert report.ok and report.checked == 3
    status = mm.locate(spec)
    assert status[0].where == "app" and status[0].ok


def test_an_interrupted_file_resumes_with_a_range_request():
    spec = get_spec("taesd")
    files = taesd_files()
    with HubServer({"madebyollin/taesd": files}, drop_after={"diffusion_pytorch_model.safetensors": 1_000_000}) as hub:
        mm.download(spec, JobContext("download"), base=hub.url)
        requests = hub.file_requests("diffusion_pytorch_model.safetensors")
        sent = hub.sent_bytes
    assert [r.range for r in requests] == [None, "bytes=1000000-"]
    assert sent == sum(len(files[n]) for n in ("config.json", "README.md", "diffusion_pytorch_model.safetensors"))
    assert mm.verify_folder(spec, mm.app_folder(spec)).ok


def test_cancel_keeps_the_part_and_the_next_run_continues_it():
    spec = get_spec("taesd")
    files = taesd_files()
    name = "diffusion_pytorch_model.safetensors"
    folder = mm.app_folder(spec)
    with HubServer({"madebyollin/taesd": files}, delay=0.05) as hub:
        ctx = JobContext("download")

        def report(p: Progress) -> None:
            if p.done and p.total and p.done > 600_000:
                ctx.cancel()

        ctx = JobContext("download", report)
        with pytest.raises(Cancelled):
            mm.download(spec, ctx, base=hub.url)
        part = folder / (name + ".part")
        have = part.stat().st_size
        assert 600_000 < have < BIG and not (folder / name).exists() and not (folder / MANIFEST).exists()
        loc = mm.locate(spec)[0]
        assert not loc.ok and "interrupted" in str(loc.detail) and "terhenti" in loc.detail.text("id")
        hub.delay = 0.0
        mm.download(spec, JobContext("download"), base=hub.url)
        assert hub.file_requests(name)[-1].range == f"bytes={have}-"
    assert (folder / name).read_bytes() == files[name]
    assert not list(folder.glob("*.part")) and mm.verify_folder(spec, folder).ok


def test_a_server_ignoring_range_is_restarted_cleanly():
    spec = get_spec("taesd")
    files = taesd_files()
    folder = mm.app_folder(spec)
    folder.mkdir(parents=True)
    (folder / "diffusion_pytorch_model.safetensors.part").write_bytes(files["diffusion_pytorch_model.safetensors"][:500_000])
    with HubServer({"madebyollin/taesd": files}, ignore_range=True) as hub:
        mm.download(spec, JobContext("download"), base=hub.url)
    assert mm.verify_folder(spec, folder).ok


def test_a_damaged_download_is_deleted_and_reported():
    spec = get_spec("taesd")
    with HubServer({"madebyollin/taesd": taesd_files()}, corrupt={"diffusion_pytorch_model.safetensors"}) as hub:
        with pytest.raises(EngineFailed) as info:
            mm.download(spec, JobContext("download"), base=hub.url)
    assert "arrived damaged" in str(info.value) and "SHA-256" in str(info.value)
    assert "rusak" in info.value.text("id")
    folder = mm.app_folder(spec)
    assert not (folder / "diffusion_pytorch_model.safetensors").exists()
    assert not list(folder.glob("*.part")) and not (folder / MANIFEST).exists()


def test_disk_space_is_checked_before_any_file_is_fetched(monkeypatch):
    import shutil

    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: real(p)._replace(free=100_000_000))
    with HubServer({"madebyollin/taesd": taesd_files()}) as hub:
        with pytest.raises(DiskFullError) as info:
            mm.download(get_spec("taesd"), JobContext("download"), base=hub.url)
        assert all("/api/models/" in s.path for s in hub.seen)
    assert "GB" in str(info.value) and "Kosongkan ruang" in info.value.text("id")


def test_unknown_repo_and_unreachable_hub_are_clear():
    with HubServer({}) as hub:
        with pytest.raises(EngineUnavailable) as info:
            mm.download(get_spec("taesd"), JobContext("download"), base=hub.url)
        assert "HTTP 404" in str(info.value)
        url = hub.url
    with pytest.raises(EngineUnavailable) as info:
        mm.download(get_spec("taesd"), JobContext("download"), base=url)
    assert "Cannot download from 127.0.0.1" in str(info.value) and "flashdisk" in info.value.text("id")


def test_downloaded_models_are_found_by_the_engines(tmp_path):
    """End to end: an SD-Turbo-layout pipeline (fp16 files) and TAESD downloaded, then used."""
    sd = build_tiny_sd(tmp_path / "src-sd", variant="fp16")
    vae = build_tiny_taesd(tmp_path / "src-vae")

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    with HubServer({"stabilityai/sd-turbo": tree(sd), "madebyollin/taesd": tree(vae)}) as hub:
        mm.download(get_spec("sd-turbo"), JobContext("download"), base=hub.url)
        mm.download(get_spec("taesd"), JobContext("download"), base=hub.url)
    engine = DiffusersImageEngine.from_settings(Settings())
    assert engine.model_dir == mm.app_folder(get_spec("sd-turbo"))
    assert engine.vae_dir == mm.app_folder(get_spec("taesd"))
    request = ImageRequest(prompt="rice terraces", width=64, height=64, seed=1, steps=1)
    result = engine.generate(request, tmp_path / "x.png", JobContext("images"))
    assert result.provenance.model == "stabilityai/sd-turbo"
    assert result.provenance.params["vae_class"] == "AutoencoderTiny"
    # A model the creator chose keeps its own VAE unless they choose one too.
    settings = Settings()
    settings.models.diffusers = str(sd)
    assert DiffusersImageEngine.from_settings(settings).vae_dir is None


def test_the_hub_library_path_downloads_into_the_standard_cache(monkeypatch, tmp_path):
    import huggingface_hub

    vae = build_tiny_taesd(tmp_path / "cache-snapshot")
    calls: list[dict] = []

    def fake_snapshot_download(**kwargs):
        calls.append(kwargs)
        return str(vae)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot_download)
    folder = mm.download(get_spec("taesd"), JobContext("download"), base="https://hf-mirror.com",
                         use_hub_library=True)
    assert folder == vae
    assert calls == [{"repo_id": "madebyollin/taesd", "revision": "main", "endpoint": "https://hf-mirror.com",
                      "allow_patterns": ["config.json", "diffusion_pytorch_model.safetensors", "README.md"]}]


# ------------------------------------------------------------------ folders the creator already has


def _hf_cache_copy(cache: Path, repo: str, files: dict[str, bytes]) -> Path:
    """``files`` laid out as huggingface_hub does: blobs named by checksum, snapshot links to them."""
    root = cache / ("models--" + repo.replace("/", "--"))
    snap = root / "snapshots" / COMMIT
    (root / "blobs").mkdir(parents=True)
    for name, data in files.items():
        blob_name = hashlib.sha256(data).hexdigest() if len(data) >= 1024 else \
            hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
        blob = root / "blobs" / blob_name
        blob.write_bytes(data)
        link = snap / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blob, link.parent))
    (root / "refs").mkdir()
    (root / "refs" / "main").write_text(COMMIT)
    return snap


def test_models_in_the_standard_hugging_face_cache_are_found_and_verified(isolated, monkeypatch):
    cache = isolated / "hf-home" / "hub"
    monkeypatch.setenv("HF_HOME", str(isolated / "hf-home"))
    files = {k: v for k, v in taesd_files().items() if k != "taesd_decoder.pth"}
    snap = _hf_cache_copy(cache, "madebyollin/taesd", files)
    spec = get_spec("taesd")
    [loc] = mm.locate(spec)
    assert loc.where == "hf-cache" and loc.ok and loc.path == snap
    assert mm.default_folder("diffusers_vae") == snap
    report = mm.verify_folder(spec, snap)
    assert report.ok and report.checked == 3  # the big file by SHA-256, the small ones by git id
    blob = (snap / "diffusion_pytorch_model.safetensors").resolve()
    data = bytearray(blob.read_bytes())
    data[100] ^= 0xFF
    blob.write_bytes(bytes(data))
    report = mm.verify_folder(spec, snap)
    assert not report.ok and "diffusion_pytorch_model.safetensors is damaged" in str(report.problems[0])


def test_a_usb_copy_is_referenced_or_copied(tmp_path):
    spec = get_spec("taesd")
    usb = build_tiny_taesd(tmp_path / "usb" / "taesd")
    settings = Settings()
    assert mm.use_folder(spec, usb, settings) == usb
    assert settings.models.diffusers_vae == str(usb) and not mm.app_folder(spec).exists()  # referenced
    assert any(loc.where == "settings" and loc.ok for loc in mm.locate(spec, settings))
    copied = mm.use_folder(spec, usb, settings, copy=True, ctx=JobContext("copy"))
    assert copied == mm.app_folder(spec) and settings.models.diffusers_vae == str(copied)
    assert mm.verify_folder(spec, copied).ok and mm.verify_folder(spec, copied).checked == 2
    with pytest.raises(EngineUnavailable) as info:
        mm.use_folder(get_spec("sd-turbo"), usb, settings)
    assert "model_index.json" in str(info.value)


# ------------------------------------------------------------------ studio models ...


def test_cli_list_download_verify_and_use(tmp_path, capsys):
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "sd-turbo*" in out and "≈ 2.6 GB" in out and "Apache-2.0" in out
    assert "not present; get it with: studio models download taesd" in out
    assert main(["models", "verify", "taesd"]) == 2
    with HubServer({"madebyollin/taesd": taesd_files()}) as hub:
        assert main(["models", "download", "taesd", "--url-base", hub.url]) == 0
    out = capsys.readouterr().out
    assert f"from {hub.url} into {mm.app_folder(get_spec('taesd'))}" in out and "Ready:" in out
    assert main(["models", "verify", "taesd"]) == 0
    assert "3 checksum(s) match" in capsys.readouterr().out
    listed = json.loads((main(["models", "list", "--json"]), capsys.readouterr().out)[1])
    taesd = next(m for m in listed if m["id"] == "taesd")
    assert taesd["present"] and taesd["locations"][0]["where"] == "app"
    weights = mm.app_folder(get_spec("taesd")) / "diffusion_pytorch_model.safetensors"
    weights.write_bytes(b"\0" + weights.read_bytes()[1:])
    assert main(["models", "verify", "taesd"]) == 1
    assert "DAMAGED" in capsys.readouterr().out
    usb = build_tiny_sd(tmp_path / "usb-sd")
    assert main(["models", "use", "sd-turbo", str(usb)]) == 0
    assert load_settings(apply_env=False).models.diffusers == str(usb)
    assert main(["models", "verify", "no-such-model"]) == 2


def test_a_hub_id_in_settings_is_found_locally_or_explained_never_fetched(isolated, monkeypatch, tmp_path):
    settings = Settings()
    settings.models.diffusers = "stabilityai/sd-turbo"
    settings.models.llm_local = "Qwen/Qwen2.5-1.5B-Instruct"
    problems = DiffusersImageEngine.from_settings(settings).preflight()
    assert "stabilityai/sd-turbo is not on this computer" in problems[0]
    assert "studio models download stabilityai/sd-turbo" in problems[0]
    assert "Qwen/Qwen2.5-1.5B-Instruct is not on this computer" in \
        LocalChatScriptEngine.from_settings(settings).preflight()[0]
    # Once it is in the Hugging Face cache (e.g. fetched by another tool), the same id finds it.
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hfcache"))
    sd = build_tiny_sd(tmp_path / "src-sd")
    snap = _hf_cache_copy(tmp_path / "hfcache", "stabilityai/sd-turbo",
                          {p.relative_to(sd).as_posix(): p.read_bytes() for p in sd.rglob("*") if p.is_file()})
    engine = DiffusersImageEngine.from_settings(settings)
    assert engine.model_dir == snap and engine.preflight() == []
