"""A script written elsewhere (issue 15): real .txt, .md and .docx files, split into scenes,
declared, and refused with a sentence (project, log and folder unchanged) when it cannot be read."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from studio.cli import main
from studio.core import ailog, storage
from studio.core.errors import MediaError, UsageError
from studio.core.origin import made_with_ai, own_work
from studio.core.presets import get_preset
from studio.core.project import Brief, Project, Scene
from studio.core.timeline import build_timeline, count_words
from studio.pipeline.checks import check_project
from studio.pipeline.duration_fit import propose_for_preset
from studio.pipeline.imports.document import read_script_file
from studio.pipeline.imports.script import import_script, pack, sentences

PARAGRAPHS = [
    "Tumpeng adalah nasi berbentuk kerucut yang hadir di setiap syukuran orang Jawa.",
    "Bentuknya melambangkan gunung, tempat yang dianggap suci oleh leluhur kita.",
    "Di sekelilingnya tersusun tujuh lauk, dari urap sayur hingga ayam ingkung.",
    "Angka tujuh, pitu dalam bahasa Jawa, berarti pitulungan: pertolongan.",
    "Puncak tumpeng dipotong oleh orang yang paling dihormati, lalu diberikan kepada tamu.",
    "Tradisi ini mengajarkan syukur, kebersamaan dan hormat kepada sesama.",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    """A minimal real Word document (what Word itself writes, cut to the parts that matter)."""
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">'
        f'{escape(p[:20])}</w:t></w:r><w:r><w:t>{escape(p[20:])}</w:t></w:r></w:p><w:p/>' for p in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml",
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}">'
                   f'<w:body>{body}<w:sectPr/></w:body></w:document>')
    return path


def new_project(root: Path) -> Project:
    project = Project(brief=Brief(title="Tumpeng", region="Yogyakarta", theme="kuliner", creator="Sri",
                                  agency="Dinas"),
                      scenes=[Scene(id="sc-old", narration="Naskah lama dari mesin.", source="template")])
    return storage.create_project(root, project)


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_docx_paragraphs_become_scenes_declared_as_chatgpt(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = new_project(root)
    src = make_docx(tmp_path / "naskah.docx", PARAGRAPHS)
    assert read_script_file(src).split("\n\n") == PARAGRAPHS
    result = import_script(project, root, src, split="paragraph",
                           declared=made_with_ai("chatgpt", "GPT-4o", "Tulis naskah tumpeng 75 detik"))
    assert [s.narration for s in result.scenes] == PARAGRAPHS
    assert project.scenes[0].id == "sc-old"  # the live project is untouched until applied
    result.apply_to(project)
    storage.save_project(root, project)
    loaded = storage.load_project(root)
    assert [s.narration for s in loaded.scenes] == PARAGRAPHS
    assert all(s.source == "ai" for s in loaded.scenes)
    assert loaded.script_declared.tool == "ChatGPT"
    assert loaded.steps["script"].outputs == [result.saved]
    saved = json.loads((root / result.saved).read_text(encoding="utf-8"))
    assert saved["import"]["declared"]["model"] == "GPT-4o" and saved["import"]["split"] == "paragraph"
    (rec,) = ailog.read(root)
    assert (rec.step, rec.action, rec.actor, rec.tool, rec.prompt) == (
        "script", "import", "declared", "ChatGPT", "Tulis naskah tumpeng 75 detik")
    assert "naskah.docx" in rec.note and rec.outputs[0].path == result.saved
    # The duration estimate and the rules read it like a generated script.
    assert result.estimated_seconds == pytest.approx(build_timeline(loaded).duration, abs=0.01)
    findings = {f.rule: f for f in check_project(loaded, root)}
    assert findings["ai.required"].passed and "ChatGPT" in findings["ai.required"].message_id


def test_sentence_split_fits_the_word_budget_and_the_fit_card_works(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = new_project(root)
    long_text = " ".join(PARAGRAPHS * 4)  # one block of 24 sentences, ~290 words: too long to speak in 90 s
    src = tmp_path / "naskah.txt"
    src.write_text(long_text, encoding="utf-8")
    whole = import_script(project, root, src, split="paragraph")
    assert len(whole.scenes) == 1
    result = import_script(project, root, src, split="sentence", declared=own_work())
    assert 6 <= len(result.scenes) <= 20
    assert " ".join(s.narration for s in result.scenes) == long_text  # every word kept, in order
    limit = result.scene_words * 1.15
    assert all(count_words(s.narration) <= limit for s in result.scenes)
    assert result.words == count_words(long_text) > result.words_budget
    assert result.warnings and "outside this competition's 60–90 s" in result.warnings[0]
    result.apply_to(project)
    fit = propose_for_preset(project, get_preset(project.preset))
    assert fit.status == "long" and fit.options  # the "Durasi video" card has something to offer
    assert ailog.read(root)[-1].actor == "human" and ailog.read(root)[-1].params == {"declared": "own"}


def test_markdown_chatgpt_layout_headings_labels_and_visual_lines(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = new_project(root)
    src = tmp_path / "naskah.md"
    src.write_text(
        "# Tumpeng: Gunung di Atas Tampah\n\n"
        "**Adegan 1** (0:00–0:10)\n"
        "Narasi: *Tumpeng* adalah nasi berbentuk kerucut.\n"
        "Visual: tumpeng kuning di atas tampah, cahaya pagi\n"
        "**Adegan 2:** Bentuknya melambangkan [gunung](https://id.wikipedia.org/wiki/Gunung).\n"
        "- Tujuh lauk mengelilinginya.\n", encoding="utf-8")
    result = import_script(project, root, src)
    assert [(s.narration, s.image_prompt) for s in result.scenes] == [
        ("Tumpeng adalah nasi berbentuk kerucut.", "tumpeng kuning di atas tampah, cahaya pagi"),
        ("Bentuknya melambangkan gunung. Tujuh lauk mengelilinginya.", "")]


def test_pasted_text_and_sentence_helpers() -> None:
    assert sentences("Harganya Rp. 5.000 saja! Kata Dr. Sutrisno, “itu murah.” Lalu kami pulang.") == [
        "Harganya Rp. 5.000 saja!", "Kata Dr. Sutrisno, “itu murah.”", "Lalu kami pulang."]
    assert pack(["satu dua tiga", "empat lima", "enam tujuh delapan"], 5) == [
        "satu dua tiga empat lima", "enam tujuh delapan"]
    assert pack(["satu dua tiga", "empat lima", "enam"], 5) == ["satu dua tiga empat lima enam"]  # tiny tail folds


def test_pasted_text(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = new_project(root)
    result = import_script(project, root, "\n\n".join(PARAGRAPHS[:2]), pasted=True)
    assert [s.narration for s in result.scenes] == PARAGRAPHS[:2]
    assert "pasted text" in ailog.read(root)[0].note


def _cp1252(path: Path) -> Path:
    path.write_bytes("Sesajen untuk Dewi Sri — dipersembahkan dengan “hormat”.".encode("cp1252"))
    return path


@pytest.mark.parametrize(("make", "says"), [
    (lambda d: _cp1252(d / "naskah.txt"), "not saved as UTF-8"),
    (lambda d: (d / "naskah.docx").write_text("ini bukan docx", encoding="utf-8") and d / "naskah.docx",
     "not a Word document"),
    (lambda d: _zip_without_document(d / "naskah.docx"), "without word/document.xml"),
    (lambda d: (d / "gambar.png").write_bytes(b"\x89PNG\r\n") and d / "gambar.png", "not a script file"),
    (lambda d: (d / "kosong.txt").write_text("# Judul saja\n\n\n", encoding="utf-8") and d / "kosong.txt",
     "no narration"),
])
def test_bad_files_get_a_sentence_and_nothing_changes(tmp_path: Path, make, says: str) -> None:
    root = tmp_path / "p"
    project = new_project(root)
    src = make(tmp_path)
    before, dump = snapshot(root), project.model_dump()
    with pytest.raises((MediaError, UsageError)) as info:
        import_script(project, root, src, declared=made_with_ai("Gemini"))
    message = str(info.value)
    assert says in message and message.endswith(".") and "\n" not in message
    assert info.value.message_id and info.value.message_id != message  # an Indonesian sentence too
    assert snapshot(root) == before and project.model_dump() == dump


def _zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/styles.xml", "<styles/>")
    return path


def test_cli_import_script_exit_codes(tmp_path: Path, capsys) -> None:
    root = tmp_path / "p"
    new_project(root)
    src = make_docx(tmp_path / "naskah.docx", PARAGRAPHS)
    assert main(["import-script", str(root), str(src), "--ai-tool", "Gemini", "--ai-model", "2.5 Flash"]) == 0
    out = capsys.readouterr().out
    assert "6 scenes by paragraph" in out and "AI: Gemini (2.5 Flash)" in out
    loaded = storage.load_project(root)
    assert loaded.script_declared.model == "2.5 Flash" and len(loaded.scenes) == 6
    before = snapshot(root)
    bad = _cp1252(tmp_path / "lama.txt")
    assert main(["import-script", str(root), str(bad), "--own"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: lama.txt is not saved as UTF-8") and "\n" not in err
    assert main(["import-script", str(root), str(src), "--own", "--ai-tool", "x"]) == 2  # argparse: one or other
    assert main(["import-script", str(root), str(src), "--split", "word"]) == 2
    assert snapshot(root) == before
    assert main(["import-script", str(root), str(src), "--split", "sentence", "--own"]) == 0
    assert storage.load_project(root).script_declared.kind == "own"
