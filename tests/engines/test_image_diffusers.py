"""DiffusersImageEngine on a tiny random StableDiffusionPipeline built and saved by the test,
then loaded from its folder through the engine's own loader (no hub, no download)."""

from __future__ import annotations

import gc
import json
import shutil
import weakref

import numpy as np
import pytest
from PIL import Image
from tiny_diffusers import build_tiny_sd, build_tiny_taesd, tiny_sd_folder

from studio.core.errors import EngineUnavailable
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.core.storage import atomic_output
from studio.engines.base import ImageRequest
from studio.engines.image.diffusion import DiffusersImageEngine, model_id, plan_size

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tiny_sd_folder(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def engine(folder):
    settings = Settings()
    settings.models.diffusers = str(folder)
    settings.torch_threads = 1
    eng = DiffusersImageEngine.from_settings(settings)
    yield eng
    eng.unload()


def req(seed: int = 7, **over) -> ImageRequest:
    base = dict(prompt="rice terraces in Bali at dawn", width=64, height=64, seed=seed, steps=2, guidance=7.5,
                negative_prompt="text, watermark")
    base.update(over)
    return ImageRequest(**base)


def pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def test_same_seed_same_pixels_other_seed_other_pixels(engine, tmp_path):
    a = engine.generate(req(7), tmp_path / "a.png", JobContext("images"))
    b = engine.generate(req(7), tmp_path / "b.png", JobContext("images"))
    c = engine.generate(req(8), tmp_path / "c.png", JobContext("images"))
    assert (a.width, a.height) == (64, 64)
    assert np.array_equal(pixels(a.path), pixels(b.path))
    assert not np.array_equal(pixels(a.path), pixels(c.path))


def test_progress_per_denoising_step_is_monotonic(engine, tmp_path):
    subs: list[tuple[float, float]] = []
    ctx = JobContext("images", lambda p: subs.append(p.sub) if p.sub else None)
    engine.generate(req(3, steps=3), tmp_path / "p.png", ctx)
    done = [s[0] for s in subs]
    assert done == sorted(done)
    assert subs[-1] == (3, 3) and subs[0] == (0, 3)


def test_cancel_mid_way_raises_and_leaves_no_file(engine, tmp_path):
    subs: list[tuple[float, float]] = []

    def report(p):
        if p.sub:
            subs.append(p.sub)
        if p.sub == (1, 2):
            ctx.cancel()

    ctx = JobContext("images", report)
    out = tmp_path / "scene.png"
    with pytest.raises(Cancelled):
        with atomic_output(out) as part:
            engine.generate(req(5), part, ctx)
    assert list(tmp_path.iterdir()) == []
    assert (2, 2) not in subs  # stopped inside the denoising loop, not after it


def test_provenance_names_model_revision_licence_and_settings(engine, folder, tmp_path):
    result = engine.generate(req(11), tmp_path / "x.png", JobContext("images"))
    prov = result.provenance
    assert prov.is_ai and prov.engine == "image.diffusers"
    assert prov.model == "tiny-random-sd"
    assert len(prov.model_revision) == 12
    assert prov.licence == "mit"  # from the folder's model card
    assert prov.seed == 11 and prov.params["steps"] == 2 and prov.params["threads"] == 1
    assert prov.params["dtype"] in ("bfloat16", "float32")
    assert prov.prompt == "rice terraces in Bali at dawn"
    assert result.safety_flagged is None  # this pipeline has no safety checker


def test_frame_sized_request_is_generated_at_native_area_in_frame_aspect(engine, tmp_path):
    result = engine.generate(req(2, width=1080, height=1920, steps=1), tmp_path / "f.png", JobContext("images"))
    assert result.provenance.params["fitted_to_native"] is True
    assert result.height > result.width
    assert result.width % 8 == 0 and result.height % 8 == 0


def test_plan_size():
    assert plan_size(1080, 1920, 512) == (384, 680, True)
    assert plan_size(1920, 1080, 512) == (680, 384, True)
    assert plan_size(64, 64, 512) == (64, 64, False)
    assert plan_size(500, 300, 512) == (496, 304, False)


def test_unload_then_generate_loads_again(folder, tmp_path):
    eng = DiffusersImageEngine(folder)
    eng.generate(req(1, steps=1), tmp_path / "1.png", JobContext("images"))
    assert eng.loaded
    eng.unload()
    assert not eng.loaded
    eng.generate(req(1, steps=1), tmp_path / "2.png", JobContext("images"))
    assert np.array_equal(pixels(tmp_path / "1.png"), pixels(tmp_path / "2.png"))


def test_preflight_is_cheap_and_specific(tmp_path):
    assert "Settings" in DiffusersImageEngine("").preflight()[0]
    assert "does not exist" in DiffusersImageEngine(tmp_path / "nope").preflight()[0]
    (tmp_path / "half").mkdir()
    problems = DiffusersImageEngine(tmp_path / "half").preflight()
    assert "model_index.json" in problems[0] and "model_index.json" in problems[0].text("id")


def test_a_broken_model_folder_is_reported_not_crashed(tmp_path, folder):
    half = tmp_path / "half-copied"
    half.mkdir()
    (half / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline",
                                                        "unet": ["diffusers", "UNet2DConditionModel"]}))
    with pytest.raises(EngineUnavailable) as info:
        DiffusersImageEngine(half).generate(req(), tmp_path / "x.png", JobContext("images"))
    assert "the unet/ folder is missing" in str(info.value) and "Salin ulang" in info.value.text("id")
    damaged = tmp_path / "damaged"
    shutil.copytree(folder, damaged)
    (damaged / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(EngineUnavailable) as info:
        DiffusersImageEngine(damaged).generate(req(), tmp_path / "x.png", JobContext("images"))
    assert "cannot be loaded" in str(info.value)
    assert not (tmp_path / "x.png").exists()


def test_model_id_of_a_hub_cache_snapshot(tmp_path):
    snap = tmp_path / "models--stabilityai--sd-turbo" / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    assert model_id(snap) == "stabilityai/sd-turbo"


def test_tiny_vae_is_swapped_in(folder, tmp_path):
    taesd = build_tiny_taesd(tmp_path / "tiny-taesd")
    full = DiffusersImageEngine(folder)
    tiny = DiffusersImageEngine(folder, vae_dir=taesd)
    a = full.generate(req(3, steps=1), tmp_path / "full.png", JobContext("images"))
    b = tiny.generate(req(3, steps=1), tmp_path / "tiny.png", JobContext("images"))
    assert type(tiny.load().vae).__name__ == "AutoencoderTiny" and type(full.load().vae).__name__ == "AutoencoderKL"
    assert (b.width, b.height) == (a.width, a.height) == (64, 64)
    assert not np.array_equal(pixels(a.path), pixels(b.path))  # another decoder drew it
    assert b.provenance.params["vae"] == "tiny-taesd" and b.provenance.params["vae_class"] == "AutoencoderTiny"
    assert a.provenance.params["vae"] == ""
    # A folder that is not a VAE is refused before loading anything.
    problems = DiffusersImageEngine(folder, vae_dir=tmp_path).preflight()
    assert any("config.json" in p for p in problems)


def test_fp16_only_weights_load_with_the_fp16_variant(tmp_path):
    fp16 = build_tiny_sd(tmp_path / "fp16-only", variant="fp16")
    assert list((fp16 / "unet").glob("*.fp16.safetensors"))
    assert not list((fp16 / "unet").glob("diffusion_pytorch_model.safetensors"))
    result = DiffusersImageEngine(fp16).generate(req(4, steps=1), tmp_path / "x.png", JobContext("images"))
    assert (result.width, result.height) == (64, 64)


def test_unload_frees_the_pipeline(folder, tmp_path):
    eng = DiffusersImageEngine(folder)
    pipe = eng.load()
    ref = weakref.ref(pipe)
    unet = weakref.ref(pipe.unet)
    del pipe
    eng.unload()
    gc.collect()
    assert not eng.loaded and ref() is None and unet() is None


@pytest.mark.parametrize("verdict", ["flag", "pass"])
def test_the_safety_checkers_verdict_is_returned_and_recorded(tmp_path, verdict):
    model = build_tiny_sd(tmp_path / f"tiny-sd-safety-{verdict}", safety=verdict)
    result = DiffusersImageEngine(model).generate(req(5, steps=1), tmp_path / "x.png", JobContext("images"))
    assert result.safety_flagged is (verdict == "flag")
    assert result.provenance.params["safety_flagged"] is (verdict == "flag")
    assert result.provenance.params["safety_checker"] is True
    assert ("Pemeriksa keamanan" in result.provenance.note) is (verdict == "flag")


def test_without_a_safety_checker_the_verdict_is_unknown_not_safe(engine, tmp_path):
    result = engine.generate(req(6, steps=1), tmp_path / "x.png", JobContext("images"))
    assert result.safety_flagged is None and result.provenance.params["safety_checker"] is False
