"""image.fast_local (OpenVINO) on a tiny random Stable Diffusion that the test converts with the app's
own converter (engines.image.ov_export, in a child process), then loads and runs from that folder.
Skipped when OpenVINO is not installed (the 'fast' extra)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from tiny_diffusers import tiny_sd_folder

from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.engines import registry
from studio.engines.base import ImageRequest
from studio.engines.image.diffusion import DiffusersImageEngine
from studio.engines.image.ov_export import convert_diffusers, is_converted

pytest.importorskip("openvino")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_sd_folder(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def converted(tiny, tmp_path_factory):
    seen: list[str] = []
    out = tmp_path_factory.mktemp("ov") / "tiny-sd-ov"
    folder = convert_diffusers(tiny, out, JobContext("models", lambda p: seen.append(p.message)))
    return folder, seen


@pytest.fixture(scope="module")
def engine(converted):
    settings = Settings()
    settings.models.diffusers_fast = str(converted[0])
    settings.torch_threads = 1
    eng = registry.create("image.fast_local", settings)
    yield eng
    eng.unload()


def req(seed: int = 7, **over) -> ImageRequest:
    base = dict(prompt="rice terraces in Bali at dawn", width=64, height=64, seed=seed, steps=2, guidance=7.5,
                negative_prompt="text, watermark")
    base.update(over)
    return ImageRequest(**base)


def pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).astype(np.int16)


def test_conversion_is_whole_and_reports_every_network(converted):
    folder, seen = converted
    assert is_converted(folder)
    assert not folder.with_name(folder.name + ".partial").exists()
    for message in ("Mengonversi penyandi teks", "Mengonversi UNet", "Mengonversi dekoder gambar"):
        assert message in seen
    assert seen[-1] == "Model gambar OpenVINO siap"


def test_cancelled_conversion_leaves_nothing(tiny, tmp_path):
    out = tmp_path / "cancelled-ov"

    def report(p) -> None:
        if p.message.startswith("Mengonversi ") and p.message != "Mengonversi model gambar ke OpenVINO":
            ctx.cancel()

    ctx = JobContext("models", report)
    with pytest.raises(Cancelled):
        convert_diffusers(tiny, out, ctx)
    assert not out.exists()
    assert not out.with_name(out.name + ".partial").exists()


def test_same_seed_same_pixels_other_seed_other_pixels_and_provenance(engine, tmp_path):
    a = engine.generate(req(7), tmp_path / "a.png", JobContext("images"))
    b = engine.generate(req(7), tmp_path / "b.png", JobContext("images"))
    c = engine.generate(req(8, width=64, height=96, guidance=0.0), tmp_path / "c.png", JobContext("images"))
    assert (a.width, a.height) == (64, 64) and (c.width, c.height) == (64, 96)
    assert np.array_equal(pixels(a.path), pixels(b.path))
    assert pixels(a.path).std() > 0
    prov = a.provenance
    assert prov.engine == "image.fast_local" and prov.is_ai and prov.seed == 7
    assert prov.params["runtime"].startswith("openvino ") and prov.params["precision"] in ("bf16", "f32")
    assert prov.params["width"] == 64 and prov.params["steps"] == 2 and prov.prompt == req().prompt


def test_draws_what_the_torch_path_draws_for_the_same_seed(tiny, converted, tmp_path):
    """Same model, same seed, same scheduler: OpenVINO in f32 matches diffusers within rounding."""
    fast = registry.engine_class("image.fast_local")(converted[0], threads=1, precision="f32")
    slow = DiffusersImageEngine(tiny, threads=1, dtype="float32")
    ours = fast.generate(req(3), tmp_path / "ov.png", JobContext("images"))
    theirs = slow.generate(req(3), tmp_path / "pt.png", JobContext("images"))
    other = slow.generate(req(4), tmp_path / "pt4.png", JobContext("images"))
    diff = np.abs(pixels(ours.path) - pixels(theirs.path)).mean()
    assert diff < 2.0, diff
    assert np.abs(pixels(ours.path) - pixels(other.path)).mean() > 5 * max(diff, 0.5)


def test_cancel_stops_before_writing(engine, tmp_path):
    ctx = JobContext("images")
    ctx.cancel()
    with pytest.raises(Cancelled):
        engine.generate(req(), tmp_path / "x.png", ctx)
    assert not (tmp_path / "x.png").exists()


def test_preflight_names_a_missing_or_unconverted_folder(tiny, tmp_path):
    eng = registry.engine_class("image.fast_local")(tmp_path / "nowhere")
    assert any("OpenVINO" in str(p) for p in eng.preflight())
    eng = registry.engine_class("image.fast_local")(tiny)  # a diffusers folder, not converted
    assert any("Convert it again" in str(p) for p in eng.preflight())


def test_image_diffusers_runs_through_openvino_when_the_same_model_is_converted(tiny, converted, monkeypatch):
    from studio.engines.support import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 16 * 1024**3)  # a machine with room for it
    settings = Settings()
    settings.engines.image = "image.diffusers"
    settings.models.diffusers_fast = str(converted[0])
    assert registry.create_for("image", settings).info.key == "image.fast_local"
    settings.models.diffusers = str(tiny)  # the creator's own diffusers model and its OpenVINO folder
    assert registry.create_for("image", settings).info.key == "image.fast_local"
    settings.models.diffusers_fast = ""  # their own model without an OpenVINO folder stays on torch
    assert registry.create_for("image", settings).info.key == "image.diffusers"
    assert registry.create_for("image", settings, override="image.diffusers").info.key == "image.diffusers"


def test_too_little_free_memory_keeps_the_torch_path(tiny, converted, monkeypatch):
    """With less free than FAST_IMAGE_MIN_AVAILABLE (its measured peak, rounded up) OpenVINO is not chosen."""
    from studio.engines.support import memory

    settings = Settings()
    settings.engines.image = "image.diffusers"
    settings.models.diffusers_fast = str(converted[0])
    monkeypatch.setattr(memory, "available_bytes", lambda: registry.FAST_IMAGE_MIN_AVAILABLE - 1)
    assert registry.create_for("image", settings).info.key == "image.diffusers"
    monkeypatch.setattr(memory, "available_bytes", lambda: None)  # a system that does not say
    assert registry.create_for("image", settings).info.key == "image.diffusers"
    monkeypatch.setattr(memory, "available_bytes", lambda: registry.FAST_IMAGE_MIN_AVAILABLE)
    assert registry.create_for("image", settings).info.key == "image.fast_local"


def test_prepare_fast_folder_converts_the_chosen_model_into_the_app_folder(tiny, tmp_path, monkeypatch):
    from studio.engines.image.ov_export import prepare_fast_folder
    from studio.engines.models.catalog import get_spec
    from studio.engines.models.manager import locate

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "models"))
    settings = Settings()
    settings.engines.image = "image.diffusers"
    settings.models.diffusers = str(tiny)
    out = prepare_fast_folder(settings, JobContext("models"))
    assert settings.models.diffusers_fast == str(out)
    assert [loc.where for loc in locate(get_spec("sd-turbo-ov")) if loc.ok] == ["app"]
    result = registry.create_for("image", settings).generate(req(), tmp_path / "p.png", JobContext("images"))
    assert result.provenance.engine == "image.fast_local"


def test_matrix_weights_are_stored_as_int8_and_convolution_weights_are_not(converted):
    """The converter compresses the matrix products' weights to int8 (the CPU plugin keeps them so:
    less memory); convolution weights stay float (int8 ones would be widened to f32 when compiling)."""
    import openvino as ov

    for part in ("text_encoder", "unet"):
        model = ov.Core().read_model(str(converted[0] / part / "openvino_model.xml"))
        kinds = {str(op.get_element_type()) for op in model.get_ops() if op.get_type_name() == "Constant"
                 and any(t.get_node().get_type_name() in ("Convert",) for t in op.output(0).get_target_inputs())}
        assert "<Type: 'uint8_t'>" in kinds, (part, kinds)
    unet = ov.Core().read_model(str(converted[0] / "unet" / "openvino_model.xml"))
    conv_weights = [op.input_value(1).get_node() for op in unet.get_ops() if op.get_type_name() == "Convolution"]
    sources = {str(n.input_value(0).get_element_type() if n.get_type_name() == "Convert" else n.get_element_type())
               for n in conv_weights}
    assert sources and "<Type: 'uint8_t'>" not in sources, sources


def test_a_new_image_size_replaces_the_compiled_networks_of_the_old_one(converted, tmp_path):
    eng = registry.engine_class("image.fast_local")(converted[0], threads=1)
    eng.generate(req(1, width=64, height=64), tmp_path / "a.png", JobContext("images"))
    eng.generate(req(1, width=64, height=96), tmp_path / "b.png", JobContext("images"))
    assert sorted(part for part, _ in eng._compiled) == ["text_encoder", "unet", "vae_decoder"], eng._compiled
    (unet_shape,) = [shape for part, shape in eng._compiled if part == "unet"]
    assert 96 // eng.latent_factor() in unet_shape and 64 // eng.latent_factor() in unet_shape, unet_shape
    (vae_shape,) = [shape for part, shape in eng._compiled if part == "vae_decoder"]
    assert vae_shape[-2:] == (96 // eng.latent_factor(), 64 // eng.latent_factor()), vae_shape
    eng.unload()


def test_sizes_are_rounded_to_what_the_traced_unet_can_halve():
    """SD-Turbo (8 pixels per latent, 3 down-samplings) needs multiples of 64: a 1080×1920 frame
    fitted to 512² area (384×680) becomes 384×704 instead of breaking the UNet's concatenation."""
    from studio.engines.image.diffusion import plan_size
    from studio.engines.image.fast_local import graph_size

    width, height, fitted = plan_size(1080, 1920, 512)
    assert fitted and (width, height) == (384, 680)
    assert graph_size(width, height, 64) == (384, 704)
    assert graph_size(512, 512, 64) == (512, 512) and graph_size(512, 896, 64) == (512, 896)
    assert graph_size(20, 20, 64) == (64, 64)


def test_engine_rounds_to_its_models_multiple(engine, tmp_path):
    multiple = engine.size_multiple()
    assert multiple == engine.latent_factor() * 2  # the tiny UNet down-samples once
    result = engine.generate(req(5, width=64, height=72), tmp_path / "r.png", JobContext("images"))
    assert result.width % multiple == 0 and result.height % multiple == 0
