"""The report shows what the creator changed in the generated script: the right draft is
found for each edited scene even after scenes were reordered, removed or rewritten alone."""

from __future__ import annotations

import json
from pathlib import Path

from studio.core import ailog, storage
from studio.core.project import Project, Scene
from studio.pipeline.report.edits import scene_drafts, word_diff, word_diff_html

DRAFT = [
    ("Weton adalah hari lahir menurut kalender Jawa.", "kalender Jawa kuno"),
    ("Setiap hari pasaran punya nama: Legi, Pahing, Pon, Wage dan Kliwon.", "lima pasaran"),
    ("Neptu hari dan pasaran dijumlahkan untuk menghitung weton.", "angka neptu"),
    ("Keluarga memakai weton untuk memilih hari baik.", "keluarga berkumpul"),
]


def _write(root: Path, name: str, scenes: list[tuple[str, str]], scene_id: str | None = None) -> ailog.OutputRef:
    doc = {"format": "studio.script", "version": 1,
           "scenes": [{"narration": n, "image_prompt": p} for n, p in scenes]}
    if scene_id:
        doc["scene_id"] = scene_id
    path = root / "script" / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return ailog.OutputRef(path=f"script/{name}", sha256="0" * 64)


def test_edited_scenes_get_their_own_draft_after_reorder_delete_and_rewrite(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = Project()
    storage.create_project(root, project)
    ref = _write(root, "script-1.json", DRAFT)
    ailog.append(root, ailog.AiRecord(step="script", action="generate", actor="ai", engine="script.openai",
                                      outputs=[ref]))
    scenes = [Scene(narration=n, image_prompt=p, source="ai") for n, p in DRAFT]
    # The creator: deletes scene 3, moves scene 4 first, edits scenes 2 and 4 lightly.
    scenes = [scenes[3], scenes[0], scenes[1]]
    scenes[0].narration = "Keluarga Jawa memakai weton untuk memilih hari baik."
    scenes[0].edited = True
    scenes[2].narration = "Setiap hari pasaran punya nama: Legi, Pahing, Pon, Wage, Kliwon."
    scenes[2].edited = True
    # Scene "Weton adalah..." was rewritten alone by the AI, then edited by the creator.
    ref2 = _write(root, "scene-1.json", [("Weton ialah hari kelahiran dalam kalender Jawa.", "kalender")],
                  scene_id=scenes[1].id)
    ailog.append(root, ailog.AiRecord(step="script", action="regenerate", actor="ai",
                                      scene_id=scenes[1].id, engine="script.openai", outputs=[ref2]))
    scenes[1].narration = "Weton ialah hari kelahiran menurut kalender Jawa."
    scenes[1].image_prompt = "kalender"
    scenes[1].edited = True
    project.scenes = scenes

    drafts = scene_drafts(project, root, ailog.read(root))
    assert drafts == {
        scenes[0].id: {"narration": DRAFT[3][0]},
        scenes[1].id: {"narration": "Weton ialah hari kelahiran dalam kalender Jawa."},
        scenes[2].id: {"narration": DRAFT[1][0]},
    }


def test_a_human_written_or_unedited_scene_has_no_draft(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = Project()
    storage.create_project(root, project)
    ailog.append(root, ailog.AiRecord(step="script", action="generate", actor="ai",
                                      outputs=[_write(root, "s.json", DRAFT[:2])]))
    project.scenes = [Scene(narration=DRAFT[0][0], image_prompt=DRAFT[0][1], source="ai"),
                      Scene(narration="Kalimat saya sendiri sama sekali.", source="human", edited=True)]
    assert scene_drafts(project, root, ailog.read(root)) == {}
    # A wholly rewritten text is not claimed to come from an unrelated draft.
    project.scenes[0].narration = "Batik tulis dibuat dengan canting."
    project.scenes[0].image_prompt = "canting"
    project.scenes[0].edited = True
    assert scene_drafts(project, root, ailog.read(root)) == {}


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("hari pasaran Legi baik", "hari pasaran Pon baik") == [
        ("=", "hari pasaran"), ("-", "Legi"), ("+", "Pon"), ("=", "baik")]
    before, after = "pasaran Legi dan Pon", "pasaran Pon dan Wage"
    parts = word_diff(before, after)
    assert " ".join(t for op, t in parts if op != "+") == before
    assert " ".join(t for op, t in parts if op != "-") == after
    assert word_diff_html("a <b>", "a <c>") == "a <del>&lt;b&gt;</del> <ins>&lt;c&gt;</ins>"
