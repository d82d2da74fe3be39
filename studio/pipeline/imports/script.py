"""A script written elsewhere, split into scenes (issue 15, item 3).

``import_script`` takes pasted text or a file (``imports.document``), splits it into
scenes and returns a ``ScriptImport`` for the caller to apply; the live project is not
touched, so a refused file changes nothing. Two ways to split:

- ``paragraph``: each paragraph (a blank line, or a heading such as ``# Adegan 2`` or
  ``Scene 3 (0:10–0:20)``, ends one) is a scene; the way most people lay out a script.
- ``sentence``: the sentences are packed into scenes of about the word budget's share
  per scene, so one long block of text becomes scenes of a speakable size.

The word budget is the one the app's own script writer gets (``pipeline.script.
speech_window`` at the voice's words per minute), and the estimate is ``core.timeline``'s,
so the duration rule and the "Durasi video" card (``pipeline.duration_fit``) work on an
imported script exactly as on a generated one. Lines that start with ``Visual:`` or
``Gambar:`` become the scene's picture prompt; ``Narasi:``/``VO:`` labels are dropped.

The imported text is kept under ``script/`` and the AI log gets one record: the creator's
declaration (made with ChatGPT…, or their own work; ``pipeline.provenance.log_declared``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from studio.core.errors import UsageError
from studio.core.hashing import text_sha256
from studio.core.origin import Origin
from studio.core.project import Project, Scene, StepRecord, now_iso
from studio.core.scrub import scrub_text
from studio.core.storage import atomic_output, relative_to_root
from studio.core.presets import get_preset
from studio.core.timeline import DEFAULT_WPM, build_timeline, count_words
from studio.core.validate import MAX_SCENES, TEXT_LIMITS
from studio.pipeline.imports.document import MAX_TEXT_CHARS, read_script_file
from studio.pipeline.provenance import log_declared
from studio.pipeline.script import MAX_SCENES as AIM_MAX_SCENES
from studio.pipeline.script import MIN_SCENES as AIM_MIN_SCENES
from studio.pipeline.script import SpeechWindow, _stamp, _unique, speech_window

Split = Literal["paragraph", "sentence"]
SPLITS: tuple[str, ...] = ("paragraph", "sentence")
MAX_NARRATION = TEXT_LIMITS["Scene.narration"]

_HEADING = re.compile(r"^\s*(#{1,6}(\s.*)?|(\*\*)?\s*(judul|title)\s*:.{0,120})\s*$", re.I)
_LABEL = re.compile(r"^\s*(\*\*)?\s*(adegan|scene|babak|segmen)\s*\d+\s*(\*\*)?\s*(\([^)]*\)|\[[^\]]*\])?"
                    r"\s*(\*\*)?\s*[:.\-–—]?\s*(\*\*)?\s*", re.I)
"""``Adegan 2 (0:10–0:20):`` and the like: a scene break; words after it start the new scene."""
_VISUAL = re.compile(r"^\s*[-*]?\s*\(?(visual|gambar|image|adegan visual|b-roll|shot)\s*:\s*(.*?)\)?\s*$", re.I)
_SPEAKER = re.compile(r"^\s*[-*]?\s*(narasi|narator|narrator|narration|vo|v\.o\.|voice ?over|suara)\s*:\s*", re.I)
_BULLET = re.compile(r"^\s*(?:[-*+>•]|\d+[.)])\s+")
_ABBREV = ("dll", "dsb", "dst", "tsb", "yth", "no", "dr", "prof", "h", "hj", "st", "jl", "kab", "kec", "ds",
           "bpk", "sdr", "drs", "ir", "mr", "mrs", "ms", "vs", "etc", "e.g", "i.e", "km", "kg", "rp")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")


@dataclass
class Block:
    """One paragraph of the source: its narration and the picture prompt it named, if any."""

    narration: str
    image_prompt: str = ""


@dataclass
class ScriptImport:
    """The scenes an imported script became; ``apply_to`` puts them into the live project."""

    scenes: list[Scene]
    split: Split
    declared: Origin | None
    words: int
    words_budget: int
    """Words the preset's duration holds at the voice's pace (the app's own script writer aims here)."""
    scene_words: int
    """Words per scene the sentence split aims at."""
    estimated_seconds: float
    window: SpeechWindow
    path: Path
    saved: str = ""
    """``path`` relative to the project folder, as the step record keeps it."""
    warnings: list[str] = field(default_factory=list)

    def apply_to(self, project: Project) -> None:
        """Replace the project's script with the imported one (subtitles are made again later)."""
        project.scenes = list(self.scenes)
        project.subtitles.cues = []
        project.script_declared = self.declared
        project.steps["script"] = StepRecord(inputs_hash="", finished=now_iso(),
                                             outputs=[self.saved])


def _clean_line(line: str) -> str:
    return " ".join(_SPEAKER.sub("", _BULLET.sub("", line)).split())


def blocks(text: str) -> list[Block]:
    """The source's paragraphs: blank lines and headings end one; ``Visual:`` lines become prompts."""
    out: list[Block] = []
    words: list[str] = []
    prompts: list[str] = []

    def close() -> None:
        if words:
            out.append(Block(" ".join(words), " ".join(prompts)))
        elif prompts and out:
            out[-1].image_prompt = " ".join(filter(None, (out[-1].image_prompt, *prompts)))
        words.clear()
        prompts.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip() or _HEADING.match(raw):
            close()
            continue
        label = _LABEL.match(raw)
        if label:
            close()
            raw = raw[label.end():]
            if not raw.strip():
                continue
        visual = _VISUAL.match(raw)
        if visual:
            if visual.group(2).strip():
                prompts.append(" ".join(visual.group(2).split()))
            continue
        line = _clean_line(raw)
        if line:
            words.append(line)
    close()
    return out


def sentences(text: str) -> list[str]:
    """``text`` cut after ., ! , ? or … before a capital or a digit (not after ``dll.``, ``Dr.``...)."""
    flat = " ".join(text.split())
    pieces, start = [], 0
    for end in _SENTENCE_END.finditer(flat):
        pieces.append(flat[start:end.end()].strip())
        start = end.end()
    pieces.append(flat[start:].strip())
    out: list[str] = []
    for piece in pieces:
        last = out[-1].rstrip(".").rsplit(" ", 1)[-1].lower() if out else ""
        if out and out[-1].endswith(".") and last in _ABBREV:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s for s in out if s.strip()]


def pack(items: list[str], budget: int) -> list[str]:
    """Consecutive ``items`` joined into scenes of at most about ``budget`` words (a longer
    sentence is a scene of its own; the last scene is folded into the one before when tiny)."""
    scenes: list[list[str]] = []
    count = 0
    for item in items:
        n = count_words(item)
        if scenes and count + n <= budget * 1.15:
            scenes[-1].append(item)
            count += n
        else:
            scenes.append([item])
            count = n
    if len(scenes) > 1 and sum(count_words(s) for s in scenes[-1]) < budget * 0.3:
        scenes[-2].extend(scenes.pop())
    return [" ".join(s) for s in scenes]


def _scene_words(window: SpeechWindow, wpm: float) -> tuple[int, int]:
    total = max(1, round(window.target * wpm / 60.0))
    per_scene = max(8, round(total / ((AIM_MIN_SCENES + AIM_MAX_SCENES) / 2)))
    return total, per_scene


def _refuse_long(i: int, n: int, split: Split) -> UsageError:
    hint_en = " Split it by sentence instead, or" if split == "paragraph" else ""
    hint_id = " Bagi per kalimat saja, atau" if split == "paragraph" else ""
    return UsageError(
        f"Scene {i} of the imported script would hold {n:,} characters, more than the {MAX_NARRATION:,} one "
        f"scene can hold.{hint_en} break that paragraph up. The project was not changed.",
        f"Adegan {i} dari naskah impor akan berisi {n:,} karakter, melebihi {MAX_NARRATION:,} yang muat di "
        f"satu adegan.{hint_id} pecah paragraf itu. Proyek tidak diubah.")


def split_script(text: str, split: Split, scene_words: int) -> list[Block]:
    """The scenes ``text`` becomes (narration and picture prompt each)."""
    if split not in SPLITS:
        raise UsageError(f"Split by 'paragraph' or 'sentence', not {split!r}.",
                         f"Bagi per 'paragraph' (paragraf) atau 'sentence' (kalimat), bukan {split!r}.")
    paras = blocks(text)
    if split == "paragraph":
        return paras
    out: list[Block] = []
    for para in paras:
        parts = pack(sentences(para.narration), scene_words)
        out += [Block(p, para.image_prompt if j == 0 else "") for j, p in enumerate(parts)]
    # Packing per paragraph keeps a paragraph's picture with its words; tiny neighbours join up.
    merged: list[Block] = []
    for b in out:
        if merged and not b.image_prompt and count_words(merged[-1].narration) + count_words(b.narration) \
                <= scene_words * 1.15:
            merged[-1] = Block(f"{merged[-1].narration} {b.narration}", merged[-1].image_prompt)
        else:
            merged.append(b)
    return merged


def _save(root: Path, text: str, source: str, split: Split, declared: Origin | None,
          scenes: list[Scene], estimated: float) -> Path:
    folder = Path(root) / "script"
    folder.mkdir(parents=True, exist_ok=True)
    path = _unique(folder, f"import-{_stamp()}")
    doc = {"format": "studio.script", "version": 1, "created": now_iso(), "engine": "",
           "import": {"source": source, "split": split,
                      "declared": declared.model_dump(mode="json") if declared else None},
           "scenes": [{"narration": s.narration, "image_prompt": s.image_prompt} for s in scenes],
           "estimated_seconds": round(estimated, 2), "raw": text}
    with atomic_output(path) as part:
        part.write_text(scrub_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n", encoding="utf-8")
    return path


def import_script(project: Project, root: Path, source: Path | str, *, split: Split = "paragraph",
                  declared: Origin | None = None, words_per_minute: float | None = None,
                  pasted: bool = False) -> ScriptImport:
    """Read ``source`` (a .txt/.md/.docx path, or with ``pasted`` the text itself) and split it
    into scenes. ``project`` is read only; the caller applies the result and saves.

    Raises:
        MediaError: the file cannot be read as a script (not a .docx, not UTF-8...).
        UsageError: there is no text, or a scene would be too long, or too many scenes.
    """
    if pasted:
        text, name = str(source), "pasted text"
        if len(text) > MAX_TEXT_CHARS:
            raise UsageError(f"The pasted text holds {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}.",
                             f"Teks yang ditempel berisi {len(text):,} karakter; batasnya {MAX_TEXT_CHARS:,}.")
    else:
        text, name = read_script_file(Path(source)), Path(source).name
    wpm = float(words_per_minute or project.voice.rate_wpm or DEFAULT_WPM)
    window = speech_window(project)
    budget, per_scene = _scene_words(window, wpm)
    parts = split_script(text, split, per_scene)
    if not parts:
        raise UsageError(f"{name} holds no narration to import (only headings, prompts or blank lines).",
                         f"{name} tidak berisi narasi untuk diimpor (hanya judul, prompt atau baris kosong).")
    if len(parts) > MAX_SCENES:
        raise UsageError(f"{name} would become {len(parts):,} scenes; the limit is {MAX_SCENES:,}.",
                         f"{name} akan menjadi {len(parts):,} adegan; batasnya {MAX_SCENES:,}.")
    for i, b in enumerate(parts, start=1):
        if len(b.narration) > MAX_NARRATION:
            raise _refuse_long(i, len(b.narration), split)
    source_kind: Literal["ai", "human"] = "ai" if declared is not None and declared.is_ai else "human"
    scenes = [Scene(narration=b.narration, image_prompt=b.image_prompt[:TEXT_LIMITS["Scene.image_prompt"]],
                    source=source_kind) for b in parts]
    estimated = build_timeline(project.model_copy(update={"scenes": scenes}), wpm=wpm).duration
    path = _save(root, text, name, split, declared, scenes, estimated)
    log_declared(root, "script", "import", declared, what=name, outputs=[path], inputs={"text": text_sha256(text)},
                 note=f"Script imported from {name}, split by {split} into {len(scenes)} scenes.")
    words = sum(count_words(s.narration) for s in scenes)
    d = get_preset(project.preset).duration
    warnings = []
    if not d.min - 1e-6 <= estimated <= d.max + 1e-6:
        warnings.append(f"The video would last about {estimated:.0f} s at {wpm:.0f} words a minute, outside this "
                        f"competition's {d.min:g}–{d.max:g} s; about {budget} words of narration fit. The "
                        "\"Durasi video\" card shows what to trim or add.")
    return ScriptImport(scenes=scenes, split=split, declared=declared, words=words, words_budget=budget,
                        scene_words=per_scene, estimated_seconds=round(estimated, 2), window=window,
                        path=path, saved=relative_to_root(root, path), warnings=warnings)
