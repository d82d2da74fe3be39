"""Image prompts are made safe before any image model sees them (no identifiable real people,
sacred things with respect), the diffusion model is unloaded when the step ends, and the
optional upscale covers the frame honestly (recorded as a non-AI change)."""

from __future__ import annotations

import gc
import weakref

import pytest
from PIL import Image
from tiny_diffusers import tiny_sd_folder

from studio.core import ailog
from studio.core.jobs import JobContext
from studio.core.presets import themes
from studio.core.project import Brief, Project, Scene
from studio.core.storage import create_project
from studio.engines.image.diffusion import DiffusersImageEngine
from studio.pipeline.images.prompts import (
    DISTANCE_PHRASE,
    RESPECT_PHRASE,
    safe_image_prompt,
)
from studio.pipeline.images.step import generate_images

BRIEF = Brief(title="Upacara Seren Taun", region="Kuningan", theme="upacara-adat", creator="Siti Rahmawati")


@pytest.mark.parametrize("prompt, gone, role", [
    ("portrait of President Joko Widodo greeting farmers", "Joko Widodo", "a local official"),
    ("Bupati Acep Purnama opening the harvest festival", "Acep Purnama", "a local official"),
    ("Sri Sultan Hamengkubuwono X in the palace courtyard", "Hamengkubuwono", "a figure in traditional royal attire"),
    ("Pak Budi the batik maker at his table", "Budi", "a local resident"),
    ("Kyai Hasyim teaching in a pesantren", "Hasyim", "a religious teacher"),
    ("Siti Rahmawati explaining the ceremony", "Siti Rahmawati", "a local resident"),
])
def test_real_people_named_in_a_prompt_become_a_role_seen_from_afar(prompt, gone, role):
    safe = safe_image_prompt(prompt, BRIEF)
    assert gone not in safe.prompt and role in safe.prompt
    assert DISTANCE_PHRASE in safe.prompt
    assert "recognizable face" in safe.negative and "celebrity" in safe.negative
    assert any(c.startswith("nama") for c in safe.changes)


def test_sacred_things_are_shown_with_respect():
    safe = safe_image_prompt("canang sari offerings on the steps of a Balinese temple")
    assert safe.prompt.endswith(RESPECT_PHRASE)
    assert "trampled" in safe.negative and "mocking" in safe.negative and "horror" in safe.negative
    assert safe.changes == ("benda atau upacara sakral ditampilkan dengan hormat",)
    keris = safe_image_prompt("an heirloom keris on a velvet cloth")
    assert RESPECT_PHRASE in keris.prompt


def test_prompts_that_are_already_safe_are_left_alone():
    landscape = safe_image_prompt("rice terraces at dawn, mist over the valley")
    assert landscape.prompt == "rice terraces at dawn, mist over the valley" and not landscape.changes
    assert "portrait" in landscape.negative  # faces are kept out everywhere
    distant = safe_image_prompt("a Javanese family gathering in a pendopo seen from behind, evening lamplight")
    assert DISTANCE_PHRASE not in distant.prompt and not distant.changes
    assert "recognizable face" in distant.negative


def test_every_theme_image_prompt_already_keeps_people_unrecognisable():
    # The built-in prompts follow the rules on their own: the rules add nothing about people to them.
    for theme in themes().values():
        for prompts in theme.image_prompts.values():
            for prompt in prompts:
                safe = safe_image_prompt(prompt)
                assert "orang ditampilkan dari belakang atau dari jauh" not in safe.changes, prompt


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_sd_folder(tmp_path_factory.mktemp("models"))


@pytest.fixture
def project_root(tmp_path):
    scenes = [Scene(narration="Warga berkumpul.", image_prompt="Bupati Acep Purnama at the temple offering ceremony",
                    on_screen_text="Upacara"),
              Scene(narration="Sawah menghijau.", image_prompt="green rice fields at dawn", on_screen_text="Sawah")]
    project = Project(brief=BRIEF, scenes=scenes)
    project.render.width, project.render.height = 64, 64
    project.images.steps = 1
    root = tmp_path / "p"
    create_project(root, project)
    return project, root


def test_the_images_step_applies_the_rules_and_logs_what_changed(project_root, tiny):
    project, root = project_root
    assets = generate_images(project, root, DiffusersImageEngine(tiny), JobContext("images"))
    first = assets[project.scenes[0].id]
    assert "Acep Purnama" not in first.prompt and "a local official" in first.prompt
    assert DISTANCE_PHRASE in first.prompt and RESPECT_PHRASE in first.prompt
    records = [r for r in ailog.read(root) if r.step == "images"]
    assert "Aturan keamanan prompt" in records[0].note and "Acep" not in records[0].prompt
    negative = records[0].params["negative_prompt"]
    assert "recognizable face" in negative and "trampled" in negative
    assert "Aturan keamanan prompt" not in records[1].note  # nothing to change in a landscape


def test_the_model_is_unloaded_when_the_step_ends_unless_kept(project_root, tiny):
    project, root = project_root
    engine = DiffusersImageEngine(tiny)
    seen: list = []
    original = engine.load

    def load(ctx=None):
        pipe = original(ctx)
        seen.append(weakref.ref(pipe))
        return pipe

    engine.load = load
    generate_images(project, root, engine, JobContext("images"), scene_ids=[project.scenes[1].id])
    gc.collect()
    assert not engine.loaded and seen and seen[0]() is None  # the pipeline's memory is free
    generate_images(project, root, engine, JobContext("images"), scene_ids=[project.scenes[1].id], force=True,
                    keep_loaded=True)
    assert engine.loaded
    engine.unload()


def test_optional_upscale_covers_the_frame_and_says_it_is_not_ai(project_root, tiny):
    project, root = project_root
    project.render.width, project.render.height = 270, 480  # a 9:16 frame, bigger than the tiny model draws
    sid = project.scenes[1].id
    native = generate_images(project, root, DiffusersImageEngine(tiny), JobContext("images"), scene_ids=[sid])[sid]
    assert native.width < 270 and native.height < 480
    big = generate_images(project, root, DiffusersImageEngine(tiny), JobContext("images"), scene_ids=[sid],
                          force=True, upscale=True)[sid]
    assert big.width >= 270 and big.height >= 480
    assert big.width / big.height == pytest.approx(native.width / native.height, abs=0.02)
    with Image.open(root / big.path) as im:
        assert im.size == (big.width, big.height)
    rec = ailog.read(root)[-1]
    assert f"Diperbesar dari {native.width}×{native.height}" in rec.note and "tanpa AI" in rec.note
