"""``studio models ...``: list, verify, download (only when asked), convert here and adopt model folders.

The command-line face of ``engines.models.manager``; ``cli.cmd_models`` dispatches here.
Exit codes follow the CLI's: 0 ok; 1 a model is damaged; 2 a usage error or a model
that is not there; 130 cancelled (a cancelled download keeps what arrived and the
next run continues it; a cancelled conversion leaves nothing behind).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from studio.core.errors import UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import load_settings, save_settings

EXIT_OK, EXIT_DAMAGED, EXIT_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
Job = Callable[[str], AbstractContextManager[JobContext]]


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _where(where: str) -> str:
    return {"app": "app model folder", "settings": "chosen in Settings", "hf-cache": "Hugging Face cache",
            "bundled": "bundled (prepared on first use)"}.get(where, where)


def cmd_list(args: argparse.Namespace) -> int:
    from studio.engines.models import manager as mm
    from studio.engines.models.catalog import human_size

    settings = load_settings()
    rows = mm.statuses(settings)
    if args.json:
        out = []
        for st in rows:
            s = st.spec
            out.append({"id": s.id, "name": s.name, "kind": s.kind, "size": s.size, "size_exact": s.size_exact,
                        "licence": s.licence, "purpose_en": s.purpose_en, "purpose_id": s.purpose_id,
                        "source": s.source, "repo": s.repo, "engine": s.engine, "recommended": s.recommended,
                        "present": st.present,
                        "locations": [{"path": str(loc.path), "where": loc.where, "ok": loc.ok,
                                       "detail": str(loc.detail), "detail_id": loc.detail.text("id")}
                                      for loc in st.locations]})
        _say(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    _say(f"{'ID':<24} {'KIND':<11} {'SIZE':>9}  {'LICENCE':<28} STATUS")
    for st in rows:
        s = st.spec
        mark = "*" if s.recommended else " "
        size = human_size(s.size, approx=not s.size_exact) if s.size else "-"
        licence = s.licence if len(s.licence) <= 28 else s.licence[:27] + "…"
        if st.present:
            best = st.best
            status = f"present ({_where(best.where)}): {best.path}" if best else "present"
        else:
            broken = next((loc for loc in st.locations if not loc.ok), None)
            how = f"studio models download {s.id}" if s.repo else \
                f"studio models download {s.base}, then studio models convert {s.id}" if s.base else s.source
            status = f"incomplete: {broken.detail}" if broken else f"not present; get it with: {how}"
        _say(f"{s.id + mark:<24} {s.kind:<11} {size:>9}  {licence:<28} {status}")
        _say(f"{'':<24} {s.purpose_en}" + (f" {s.note_en}" if s.note_en else ""))
    _say("* suggested default. Nothing is downloaded unless you run 'studio models download ID'.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, job: Job) -> int:
    from studio.engines.models import manager as mm
    from studio.engines.models.catalog import get_spec
    from studio.engines.models.folders import snapshot_of

    spec = get_spec(args.id)
    if args.folder:
        folders = [(snapshot_of(Path(args.folder)), "given")]
    else:
        locations = mm.locate(spec, load_settings())
        if not locations:
            _say(f"{spec.id} is not on this computer. Get it with 'studio models download {spec.id}' or point at a "
                 f"copy with 'studio models use {spec.id} FOLDER'.")
            return EXIT_INPUT
        if any(loc.where == "bundled" for loc in locations):
            _say(f"{spec.id}: bundled with the app; it is prepared and verified on first use.")
            return EXIT_OK
        folders = [(loc.path, loc.where) for loc in locations]
    worst = EXIT_OK
    for folder, where in folders:
        with job("Verify") as ctx:
            report = mm.verify_folder(spec, folder, ctx)
        if report.ok:
            extra = f"; {report.unverifiable} file(s) without a known checksum were checked for presence" \
                if report.unverifiable else ""
            _say(f"OK {spec.id} ({_where(where)}): {folder} — {report.checked} checksum(s) match{extra}.")
        else:
            worst = EXIT_DAMAGED
            _say(f"DAMAGED {spec.id} ({_where(where)}): {folder}")
            for p in report.problems:
                _say(f"  - {p}")
            if spec.repo:
                _say(f"  Download it again with 'studio models download {spec.id}' (damaged files are replaced).")
    return worst


def cmd_download(args: argparse.Namespace, job: Job) -> int:
    from studio.engines.models import download as dl
    from studio.engines.models import manager as mm
    from studio.engines.models.catalog import adhoc_spec, get_spec, human_size

    try:
        spec = get_spec(args.id)
    except UsageError:
        if "/" not in args.id:
            raise
        spec = adhoc_spec(args.id, args.layout)
    base = (args.url_base or dl.DEFAULT_HUB).rstrip("/")
    size = human_size(spec.size, approx=not spec.size_exact) if spec.size else "size shown by the server"
    where = "the Hugging Face cache" if args.hub else str(mm.app_folder(spec))
    _say(f"Downloading {spec.name} ({size}, licence: {spec.licence}) from {base} into {where}.")
    with job("Download") as ctx:
        folder = mm.download(spec, ctx, base=base, use_hub_library=args.hub)
    _say(f"Ready: {folder}")
    if spec.engine:
        _say(f"The engine '{spec.engine}' finds it there; choose that engine in Settings to use it.")
    return EXIT_OK


def cmd_use(args: argparse.Namespace, job: Job) -> int:
    from studio.engines.models import manager as mm
    from studio.engines.models.catalog import get_spec

    spec = get_spec(args.id)
    settings = load_settings(apply_env=False)
    with job("Copy" if args.copy else "Check") as ctx:
        folder = mm.use_folder(spec, Path(args.folder), settings, copy=args.copy, ctx=ctx)
    if spec.setting:
        save_settings(settings)
        _say(f"{spec.name} will be used from {folder} ({'copied' if args.copy else 'referenced; keep it there'}).")
    else:
        _say(f"{folder} holds {spec.name}, but no engine of this version uses it yet.")
    return EXIT_OK


def cmd_convert(args: argparse.Namespace, job: Job) -> int:
    """Make a fast script model from its downloaded Hugging Face model, with the runtime's own converter."""
    from studio.engines.models import conversion
    from studio.engines.models.catalog import get_spec

    spec = get_spec(args.id)
    base = conversion.base_spec(spec)
    settings = load_settings(apply_env=False)
    source = Path(args.source) if args.source else conversion.find_base(spec, settings)
    runtime = conversion.CONVERTIBLE[spec.layout]
    _say(f"Converting {base.name} from {source} into {spec.name} with {runtime}'s converter "
         "(several minutes; Ctrl-C cancels).")
    try:
        with job("Convert") as ctx:
            folder = conversion.convert(spec, ctx, source=source, settings=settings)
    except Cancelled:
        sys.stderr.write("Cancelled. The partial conversion was removed; nothing was changed.\n")
        return EXIT_CANCELLED
    save_settings(settings)
    _say(f"Ready: {folder}")
    _say(f"The fast local script engine ('{spec.engine}') uses it now; choose that engine in Settings.")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``models`` sub-command and its actions."""
    p = sub.add_parser("models", help="list, verify, download (only when asked), convert or adopt AI models")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("list", help="known models: size, licence, purpose, and where they are")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("verify", help="check a model's files (sizes and SHA-256 checksums)")
    a.add_argument("id")
    a.add_argument("--folder", help="verify this folder instead of the ones found")
    a = actions.add_parser("download", help="download a model (resumable; checksums verified)")
    a.add_argument("id", help="a model id from 'studio models list', or a Hugging Face repo org/name")
    a.add_argument("--url-base", help="hub address or mirror (default https://huggingface.co)")
    a.add_argument("--hub", action="store_true", help="download with huggingface_hub into its standard cache")
    a.add_argument("--layout", default="diffusers", choices=["diffusers", "vae", "chat", "whisper-ct2", "vits"],
                   help="what an org/name repo holds (for repos not in the list)")
    a = actions.add_parser("use", help="use a model folder you already have (e.g. copied from a USB stick)")
    a.add_argument("id")
    a.add_argument("folder")
    a.add_argument("--copy", action="store_true", help="copy it into the app's model folder instead of "
                                                       "referencing it")
    a = actions.add_parser("convert", help="make a fast script model on this computer from its downloaded "
                                           "Hugging Face model (the runtime's own converter)")
    a.add_argument("id", help="a fast script model from 'studio models list' (e.g. qwen2.5-1.5b-instruct-int4-onnx)")
    a.add_argument("--from", dest="source", metavar="DIR",
                   help="the Hugging Face model folder (default: found by the model manager)")
    return p


def run(args: argparse.Namespace, job: Job) -> int:
    if args.action == "list":
        return cmd_list(args)
    if args.action == "verify":
        return cmd_verify(args, job)
    if args.action == "download":
        return cmd_download(args, job)
    if args.action == "convert":
        return cmd_convert(args, job)
    return cmd_use(args, job)
