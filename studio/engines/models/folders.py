"""Model folders on disk: the Hugging Face cache layout, readable ids and licences, completeness checks.

Cheap checks only (names, sizes, small JSON files): nothing here reads weights,
imports torch or touches the network. ``folder_problems`` says in words why a folder
cannot serve as a model of a given layout (diffusers pipeline, VAE, chat model,
CTranslate2 Whisper, VITS voice).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from studio.core import paths
from studio.core.errors import Problem
from studio.engines.models.catalog import MANIFEST


def hf_cache_dirs() -> list[Path]:
    """Where Hugging Face tools keep downloaded models on this computer (existing folders only)."""
    found: list[Path] = []
    candidates = [os.environ.get("HF_HUB_CACHE"), os.environ.get("HUGGINGFACE_HUB_CACHE")]
    if os.environ.get("HF_HOME"):
        candidates.append(str(Path(os.environ["HF_HOME"]) / "hub"))
    xdg = os.environ.get("XDG_CACHE_HOME")
    candidates.append(str(Path(xdg) / "huggingface" / "hub") if xdg else None)
    candidates.append(str(Path.home() / ".cache" / "huggingface" / "hub"))
    # A trainer may copy a whole hub cache onto a USB stick and point the model folder at it.
    candidates += [str(paths.models_dir() / "hub"), str(paths.models_dir())]
    for c in candidates:
        if not c:
            continue
        p = Path(c).expanduser()
        if p.is_dir() and p not in found:
            found.append(p)
    return found


HUB_ID = re.compile(r"[\w.-]+/[\w.-]+")


def looks_like_hub_id(text: str) -> bool:
    """True for ``org/name`` that is not an existing folder (a Hugging Face model id)."""
    text = str(text).strip()
    return bool(HUB_ID.fullmatch(text)) and not Path(text).expanduser().exists()


def snapshot_of(folder: Path) -> Path:
    """The snapshot inside a ``models--org--name`` cache folder (the one ``refs/main`` names); else ``folder``."""
    folder = Path(folder)
    snaps = folder / "snapshots"
    if not (folder.name.startswith("models--") and snaps.is_dir()):
        return folder
    ref = folder / "refs" / "main"
    with contextlib.suppress(OSError):
        rev = ref.read_text(encoding="utf-8").strip()
        if rev and (snaps / rev).is_dir():
            return snaps / rev
    candidates = [p for p in snaps.iterdir() if p.is_dir()]
    if not candidates:
        return folder
    return max(candidates, key=lambda p: p.stat().st_mtime)


def find_in_hf_cache(repo: str) -> list[Path]:
    """Snapshots of ``repo`` in every Hugging Face cache on this computer."""
    name = "models--" + repo.replace("/", "--")
    out = []
    for cache in hf_cache_dirs():
        root = cache / name
        if root.is_dir():
            snap = snapshot_of(root)
            if snap != root:
                out.append(snap)
    return out


def folder_model_id(folder: Path) -> str:
    """A readable id: ``org/name`` for a Hugging Face cache snapshot, else the folder name."""
    folder = Path(folder)
    parts = folder.resolve().parts if folder.exists() else folder.parts
    for i, part in enumerate(parts):
        if part.startswith("models--") and i + 2 < len(parts) and parts[i + 1] == "snapshots":
            return part[len("models--"):].replace("--", "/")
    manifest = read_manifest(folder)
    if manifest and manifest.get("repo"):
        return str(manifest["repo"])
    return folder.name


def folder_licence(folder: Path, default: str = "lihat kartu model") -> str:
    """The ``license:`` of the model card's front matter, if the folder has one."""
    for name in ("README.md", "readme.md", "MODEL_CARD.md"):
        path = Path(folder) / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")[:20000]
        front = re.match(r"^---\s*\n(.*?)\n---", text, re.DOTALL)
        block = front.group(1) if front else text
        found = re.search(r"^\s*licen[cs]e\s*:\s*[\"']?([^\s\"'#]+)", block, re.MULTILINE | re.IGNORECASE)
        if found:
            return found.group(1)
    return default


def config_revision(folder: Path, names: Iterable[str]) -> str:
    """A short hash of small config files (cheap: no weights read) to tell model versions apart."""
    h = hashlib.sha256()
    for rel in names:
        path = Path(folder) / rel
        if path.is_file():
            h.update(rel.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _has_weights(folder: Path) -> bool:
    return any(folder.glob("*.safetensors")) or any(folder.glob("*.bin")) or any(folder.glob("*.pth"))


def has_chat_template(folder: Path) -> bool:
    if (folder / "chat_template.jinja").is_file() or (folder / "chat_template.json").is_file():
        return True
    try:
        cfg = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(isinstance(cfg, dict) and cfg.get("chat_template"))


def _onnx_genai_problems(folder: Path, missing: Any) -> list[Problem]:
    """An ONNX Runtime GenAI chat folder: genai_config.json, the decoder graph it names, its weights (a graph
    under 1 MB keeps them in an external ``*.data`` file) and the tokenizer."""
    try:
        config = json.loads((folder / "genai_config.json").read_text(encoding="utf-8"))
        graph = str(config["model"]["decoder"]["filename"])
    except (OSError, ValueError, KeyError, TypeError):
        if not (folder / "genai_config.json").is_file():
            return [Problem(
                f"{folder} is not an ONNX Runtime GenAI model folder (genai_config.json is missing). Choose the "
                "folder that contains genai_config.json.",
                f"{folder} bukan folder model ONNX Runtime GenAI (genai_config.json tidak ada). Pilih folder yang "
                "berisi genai_config.json.")]
        return [Problem(f"{folder / 'genai_config.json'} is damaged: it does not name the model's graph. Copy the "
                        "whole model folder again.",
                        f"{folder / 'genai_config.json'} rusak: berkas itu tidak menyebut grafik modelnya. Salin "
                        "ulang seluruh folder model.")]
    problems = [] if (folder / graph).is_file() else [missing(graph)]
    if (folder / graph).is_file() and (folder / graph).stat().st_size < 1024 * 1024 and \
            not any(folder.glob("*.data")) and not any(folder.glob("*.onnx_data")):
        problems.append(missing(f"the weights ({graph}.data)"))
    if not (folder / "tokenizer.json").is_file():
        problems.append(missing("tokenizer.json"))
    return problems


def folder_problems(layout: str, folder: Path) -> list[Problem]:
    """Why ``folder`` cannot serve as a model of ``layout`` ([] when it looks whole). Cheap: no weights read."""
    folder = Path(folder)
    if not folder.is_dir():
        return [Problem(f"The folder {folder} does not exist.", f"Folder {folder} tidak ada.")]

    def missing(what: str) -> Problem:
        return Problem(f"{folder} is incomplete: {what} is missing. Copy the whole model folder again.",
                       f"{folder} tidak lengkap: {what} tidak ada. Salin ulang seluruh folder model.")

    if layout == "diffusers":
        try:
            index = json.loads((folder / "model_index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [Problem(
                f"{folder} is not a diffusers model folder (model_index.json is missing). Choose the folder "
                "that contains model_index.json.",
                f"{folder} bukan folder model diffusers (model_index.json tidak ada). Pilih folder yang berisi "
                "model_index.json.")]
        problems = []
        for part, value in index.items():
            if part.startswith("_") or not isinstance(value, list) or value[0] is None:
                continue
            sub = folder / part
            if not sub.is_dir():
                problems.append(missing(f"the {part}/ folder"))
            elif part in ("unet", "vae", "text_encoder", "transformer") and not _has_weights(sub):
                problems.append(missing(f"the weights in {part}/"))
        return problems
    if layout == "vae":
        if not (folder / "config.json").is_file():
            return [missing("config.json")]
        return [] if _has_weights(folder) else [missing("the weights (*.safetensors)")]
    if layout == "chat":
        problems = []
        if not (folder / "config.json").is_file():
            problems.append(missing("config.json"))
        if not any((folder / n).is_file() for n in ("tokenizer.json", "tokenizer.model", "vocab.json")):
            problems.append(missing("the tokenizer"))
        if not _has_weights(folder):
            problems.append(missing("the weights (*.safetensors)"))
        if not problems and not has_chat_template(folder):
            problems.append(Problem(
                f"The model in {folder} has no chat template: it is a base model, not a chat (instruct) model. "
                "Choose an instruct model such as Qwen2.5-1.5B-Instruct.",
                f"Model di {folder} tidak punya templat obrolan: itu model dasar, bukan model instruksi. Pilih "
                "model instruksi seperti Qwen2.5-1.5B-Instruct."))
        return problems
    if layout == "whisper-ct2":
        problems = [missing(n) for n in ("model.bin", "config.json") if not (folder / n).is_file()]
        if not any((folder / n).is_file() for n in ("tokenizer.json", "vocabulary.txt", "vocabulary.json")):
            problems.append(missing("the tokenizer"))
        return problems
    if layout == "openvino-chat":
        return [missing(n) for n in ("openvino_model.xml", "openvino_model.bin", "openvino_tokenizer.xml",
                                     "openvino_detokenizer.xml") if not (folder / n).is_file()]
    if layout == "onnx-genai-chat":
        return _onnx_genai_problems(folder, missing)
    if layout == "openvino-diffusers":
        return [missing(f"{part}/openvino_model.xml") for part in ("text_encoder", "unet", "vae_decoder")
                if not (folder / part / "openvino_model.xml").is_file()] + \
            [missing(f"the {name}/ folder") for name in ("tokenizer", "scheduler") if not (folder / name).is_dir()]
    if layout == "vits":
        problems = [] if (folder / "config.json").is_file() else [missing("config.json")]
        return problems + ([] if _has_weights(folder) else [missing("the weights")])
    return []
