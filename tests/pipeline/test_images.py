"""The images step: missing/stale scenes only, atomic files, one log record per image, cancel
keeps finished images, the creator's own photos checked and imported."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from tiny_diffusers import tiny_sd_folder

from studio.core import ailog
from studio.core.errors import MediaError, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Brief, Project, Scene
from studio.core.status import project_status
from studio.core.storage import create_project
from studio.engines.image.diffusion import DiffusersImageEngine
from studio.engines.image.placeholder import PlaceholderImageEngine
from studio.pipeline.images.step import STYLES, generate_images, import_own_image, styled_prompt


@pytest.fixture
def project_root(tmp_path):
    scenes = [Scene(narration=f"Narasi {i}.", image_prompt=f"rice terraces, view {i}", on_screen_text=f"Bagian {i}")
              for i in range(3)]
    project = Project(brief=Brief(title="Subak", region="Bali", theme="subak"), scenes=scenes)
    project.render.width, project.render.height = 270, 480  # small frames keep the tests fast
    root = tmp_path / "p"
    create_project(root, project)
    return project, root


def apply(project: Project, assets: dict) -> None:
    for scene in project.scenes:
        if scene.id in assets:
            scene.image = assets[scene.id]


def test_generates_every_missing_image_once(project_root):
    project, root = project_root
    engine = PlaceholderImageEngine()
    assets = generate_images(project, root, engine, JobContext("images"))
    assert set(assets) == {s.id for s in project.scenes}
    for scene in project.scenes:
        asset = assets[scene.id]
        assert asset.path == f"images/{scene.id}-{asset.inputs_hash[:8]}.png"
        assert (root / asset.path).is_file()
        assert (asset.width, asset.height) == (270, 480)
        assert asset.origin == "generated" and asset.engine == "image.placeholder"
        assert asset.prompt.startswith("documentary photograph, rice terraces")
    records = ailog.read(root)
    assert [(r.step, r.action, r.actor) for r in records] == [("images", "generate", "tool")] * 3
    assert scene.image is None  # the live project is not touched
    apply(project, assets)
    assert project_status(project, image_engine="image.placeholder")["images"].state == "done"
    assert generate_images(project, root, engine, JobContext("images")) == {}


def test_only_the_stale_scene_is_redone(project_root):
    project, root = project_root
    engine = PlaceholderImageEngine()
    apply(project, generate_images(project, root, engine, JobContext("images")))
    project.scenes[1].image_prompt = "a water temple by the rice field"
    assert project_status(project, image_engine=engine.info.key)["images"].stale == [project.scenes[1].id]
    again = generate_images(project, root, engine, JobContext("images"))
    assert list(again) == [project.scenes[1].id]
    assert ailog.read(root)[-1].action == "regenerate"


def test_cancel_keeps_finished_images_and_leaves_no_part_files(project_root):
    project, root = project_root
    ctx = JobContext("images", lambda p: ctx.cancel() if p.done == 1 and p.sub is None else None)
    with pytest.raises(Cancelled) as info:
        generate_images(project, root, PlaceholderImageEngine(), ctx)
    partial = info.value.partial
    assert list(partial) == [project.scenes[0].id]
    files = sorted(p.name for p in (root / "images").iterdir())
    assert files == [partial[project.scenes[0].id].path.split("/")[-1]]


def test_own_photo_survives_force_unless_named(project_root, tmp_path):
    project, root = project_root
    photo = tmp_path / "foto.jpg"
    Image.new("RGB", (800, 600), (200, 120, 40)).save(photo, quality=90)
    project.scenes[0].image = import_own_image(project, root, project.scenes[0].id, photo)
    made = generate_images(project, root, PlaceholderImageEngine(), JobContext("images"), force=True)
    assert project.scenes[0].id not in made
    made = generate_images(project, root, PlaceholderImageEngine(), JobContext("images"),
                           scene_ids=[project.scenes[0].id], force=True)
    assert list(made) == [project.scenes[0].id]


def test_unknown_scene_id_is_refused(project_root):
    project, root = project_root
    with pytest.raises(UsageError):
        generate_images(project, root, PlaceholderImageEngine(), JobContext("images"), scene_ids=["sc-nope"])


def test_styles_wrap_the_prompt():
    text, negative = styled_prompt("a gamelan in a pavilion.", "wayang", "blurry")
    assert "wayang kulit" in text and "a gamelan in a pavilion" in text
    assert negative.startswith("blurry") and "watermark" in negative
    assert styled_prompt("x", "no-such-style")[0] == "x"
    assert {"photo", "watercolour", "wayang", "batik"} <= set(STYLES)


@pytest.mark.slow
def test_diffusion_images_are_logged_as_ai(project_root, tmp_path_factory):
    project, root = project_root
    project.render.width, project.render.height = 64, 64
    project.images.steps = 1
    engine = DiffusersImageEngine(tiny_sd_folder(tmp_path_factory.mktemp("models")))
    assets = generate_images(project, root, engine, JobContext("images"), scene_ids=[project.scenes[0].id])
    asset = assets[project.scenes[0].id]
    assert asset.origin == "ai" and asset.model == "tiny-random-sd" and asset.seed is not None
    rec = ailog.read(root)[-1]
    assert rec.actor == "ai" and rec.engine == "image.diffusers" and rec.prompt == asset.prompt
    assert rec.outputs[0].sha256 == asset.sha256


# ------------------------------------------------------------------ own photos


def _jpeg_with_orientation(path, size=(640, 480), orientation=6) -> None:
    img = Image.new("RGB", size, (10, 120, 200))
    img.paste((250, 250, 0), (0, 0, 100, 50))  # a yellow mark in the top-left corner
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {2: (7.0, 48.0, 0.0)}  # a GPS position that must not be kept
    img.save(path, format="JPEG", exif=exif.tobytes(), quality=95)


def test_phone_photo_is_turned_upright_and_stripped_of_metadata(project_root, tmp_path):
    project, root = project_root
    src = tmp_path / "IMG_0001.jpg"
    _jpeg_with_orientation(src)
    sid = project.scenes[1].id
    asset = import_own_image(project, root, sid, src)
    assert asset.origin == "own" and (asset.width, asset.height) == (480, 640)
    with Image.open(root / asset.path) as im:
        assert im.size == (480, 640)
        assert not im.getexif()
    rec = ailog.read(root)[-1]
    assert (rec.step, rec.action, rec.actor, rec.scene_id) == ("images", "replace", "human", sid)


def test_clean_png_is_copied_byte_for_byte(project_root, tmp_path):
    project, root = project_root
    src = tmp_path / "gambar.png"
    Image.new("RGB", (300, 200), (1, 2, 3)).save(src)
    asset = import_own_image(project, root, project.scenes[0].id, src)
    assert (root / asset.path).read_bytes() == src.read_bytes()


def test_huge_picture_is_downscaled_and_transparency_flattened(project_root, tmp_path):
    project, root = project_root
    src = tmp_path / "besar.png"
    Image.new("RGBA", (5000, 2500), (255, 0, 0, 0)).save(src)
    asset = import_own_image(project, root, project.scenes[0].id, src)
    assert (asset.width, asset.height) == (4096, 2048)
    with Image.open(root / asset.path) as im:
        assert im.mode == "RGB"
        assert np.asarray(im)[0, 0].tolist() == [0, 0, 0]


@pytest.mark.parametrize("content", [
    b"this is not a picture at all",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    "truncated-jpeg",
])
def test_corrupt_or_non_images_are_refused_clearly(project_root, tmp_path, content):
    project, root = project_root
    src = tmp_path / "foto.jpg"
    if content == "truncated-jpeg":
        buf = io.BytesIO()
        Image.new("RGB", (400, 300), (9, 9, 9)).save(buf, format="JPEG")
        content = buf.getvalue()[: len(buf.getvalue()) // 3]
    src.write_bytes(content)
    with pytest.raises(MediaError) as info:
        import_own_image(project, root, project.scenes[0].id, src)
    assert "foto.jpg" in str(info.value) and "JPG" in info.value.text("id")
    assert list((root / "images").iterdir()) == []
    assert ailog.read(root) == []


def test_import_into_unknown_scene_or_missing_file(project_root, tmp_path):
    project, root = project_root
    with pytest.raises(UsageError):
        import_own_image(project, root, "sc-nope", tmp_path / "x.png")
    with pytest.raises(MediaError):
        import_own_image(project, root, project.scenes[0].id, tmp_path / "missing.png")
