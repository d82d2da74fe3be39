"""Benchmark: brief → exported bundle with a real-size model on every AI step (issue 17, item 5).

Run on demand (not collected), through the shared lock:

    flock /work/bench.lock python tests/bench/ai_path_bench.py [--models DIR] [--quick]

In ONE process, through the pipeline the window uses (``steps.prepare`` / ``prepare_export``):

1. script — the 1.5B shape (Qwen2.5-1.5B, random weights) as int4 through
   ``script.fast_local`` (built once by tests/bench/llm_bench.py --build and converted by the
   engine's default converter, ONNX Runtime GenAI; ``--llm-folder`` names a converted folder
   instead, OpenVINO GenAI's or ONNX Runtime GenAI's);
2. images — 8 scenes of SD-Turbo's shapes (random weights, TAESD) through ``image.diffusers``,
   which runs on OpenVINO when the converted folder is ready (``--torch-images`` keeps torch);
3. voice — a VITS with MMS-TTS ``ind``'s shapes (random weights) through ``voice.vits``;
4. subtitles — the bundled Whisper base (real weights) through ``transcribe.faster_whisper``;
5. music and export — the render (MP4) and the bundle, at the preset's size.

Random weights write random words: the script step's time is real, its text is not. When
the random model's scenes cannot be spoken (empty narration), the template composer's
scenes are used from then on and the table says so. ``--quick`` renders at 360×640 and uses
4 scenes. Per step: seconds and the peak RSS of this process and its children (ffmpeg),
sampled every 0.1 s. Targets: the whole path ≤ 240 s, peak ≤ 4 GB.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from rss_sampler import PeakRss
from sd_turbo_shapes import sd_turbo_folder

TARGET_SECONDS = 240.0
TARGET_GB = 4.0
ANSWER_TOKENS = 900
PROMPT_TOKENS = 1300  # the script prompt in Qwen2.5 tokens: the figure, the one llm_bench.py uses

# facebook/mms-tts-ind's config.json (the shapes; weights random)
MMS_TTS = dict(hidden_size=192, num_hidden_layers=6, num_attention_heads=2, ffn_dim=768, flow_size=192,
               spectrogram_bins=513, upsample_initial_channel=512, upsample_rates=[8, 8, 2, 2],
               upsample_kernel_sizes=[16, 16, 4, 4], resblock_kernel_sizes=[3, 7, 11],
               resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5], [1, 3, 5]], prior_encoder_num_flows=4,
               prior_encoder_num_wavenet_layers=4, posterior_encoder_num_wavenet_layers=16,
               duration_predictor_num_flows=4, duration_predictor_filter_channels=256, depth_separable_num_layers=4,
               wavenet_kernel_size=5, sampling_rate=16000)


def mms_sized_vits(folder: Path) -> Path:
    """A VITS with MMS-TTS's shapes and layout (random weights; Indonesian letters as its vocabulary)."""
    if (folder / "config.json").is_file():
        return folder
    import torch
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    chars = list("_ abcdefghijklmnopqrstuvwxyz',.-?!")
    vocab = {c: i for i, c in enumerate(chars)}
    vocab["<unk>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    VitsTokenizer(str(folder / "vocab.json"), pad_token="_", unk_token="<unk>", language="ind", add_blank=True,
                  normalize=True, phonemize=False, is_uroman=False).save_pretrained(folder)
    torch.manual_seed(0)
    VitsModel(VitsConfig(vocab_size=len(vocab), **MMS_TTS)).save_pretrained(folder)
    (folder / "README.md").write_text("---\nlicense: cc-by-nc-4.0\n---\n# MMS-TTS shapes (bench)\n", encoding="utf-8")
    return folder


def fast_llm_folder(models: Path) -> Path:
    """The random 1.5B shape (built by llm_bench.py --build) converted by the engine's own default
    converter (ONNX Runtime GenAI int4, ``engines.llm.convert_ort`` defaults), once."""
    import subprocess

    import llm_bench

    from studio.core.jobs import JobContext
    from studio.engines.llm.convert_ort import convert_to_onnx, is_converted_ort

    hf, out = models / "qwen2.5-1.5b-random", models / "qwen2.5-1.5b-ort-default"
    if is_converted_ort(out):
        return out
    if not (hf / "model.safetensors").exists():
        print(f"building the random 1.5B model in {hf} …", flush=True)
        subprocess.run([sys.executable, llm_bench.__file__, "--build", str(hf)], check=True)
    return convert_to_onnx(hf, out, JobContext("models"))


def prepare_models(models: Path, llm_folder: str) -> dict[str, Path]:
    from studio.core.jobs import JobContext
    from studio.engines.image.ov_export import convert_diffusers

    out: dict[str, Path] = {}
    if llm_folder:
        out["llm"] = Path(llm_folder)
    else:
        out["llm"] = fast_llm_folder(models)
    out["sd"] = sd_turbo_folder(models / "sd-turbo-shapes", "tiny")
    out["sd_ov"] = convert_diffusers(out["sd"], models / "sd-turbo-shapes-ov", JobContext("models"))
    out["vits"] = mms_sized_vits(models / "mms-tts-ind-shapes")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=Path, default=Path(tempfile.gettempdir()) / "studio-bench-models")
    ap.add_argument("--llm-folder", default="", help="an int4 chat folder (default: built and converted once)")
    ap.add_argument("--torch-images", action="store_true", help="keep the images on torch (no OpenVINO)")
    ap.add_argument("--quick", action="store_true", help="4 scenes, 360×640")
    ap.add_argument("--keep", help="work in this folder (kept) instead of a temporary one")
    args = ap.parse_args()

    from studio.core import storage
    from studio.core.errors import EngineFailed
    from studio.core.jobs import JobContext
    from studio.core.project import Project
    from studio.core.settings import Settings
    from studio.pipeline import steps

    t0 = time.perf_counter()
    models = prepare_models(args.models, args.llm_folder)
    print(f"models ready in {time.perf_counter() - t0:.0f} s: " + ", ".join(f"{k}={v}" for k, v in models.items()),
          flush=True)
    settings = Settings()
    settings.engines.script, settings.engines.image = "script.fast_local", "image.diffusers"
    settings.engines.voice, settings.engines.transcribe = "voice.vits", "transcribe.faster_whisper"
    settings.models.llm_fast, settings.models.diffusers = str(models["llm"]), str(models["sd"])
    settings.models.diffusers_fast = "" if args.torch_images else str(models["sd_ov"])
    settings.models.mms_tts = str(models["vits"])
    root = Path(args.keep or tempfile.mkdtemp()) / "ai-path"
    project = Project(preset="free" if args.quick else "ai-local-content-2025")
    b = project.brief
    b.title, b.region, b.theme, b.creator, b.agency = "Tari Saman", "Aceh", "tari", "Uji", "Dinas Uji"
    if args.quick:
        project.render.width, project.render.height = 360, 640
    project.images.steps = 1
    storage.create_project(root, project)
    scenes_wanted = 4 if args.quick else 8
    rows: list[tuple[str, float, float, str]] = []

    def run(step: str, note: str = "") -> None:
        with PeakRss() as rss:
            started = time.perf_counter()
            job = steps.prepare(step, project, root, settings)
            try:
                result = job.run(JobContext(step))
            except EngineFailed as exc:
                if step != "script":
                    raise
                note += f"; no usable answer from random weights ({str(exc)[:80]})"
            else:
                job.apply(project, result)
                storage.save_project(root, project)
            seconds = time.perf_counter() - started
        for engine in job.engines:
            if hasattr(engine, "unload"):
                engine.unload()
        rows.append((step, seconds, rss.peak / 2 ** 30, note))
        print(f"  {step:10s} {seconds:7.1f} s   peak {rss.peak / 2 ** 30:5.2f} GB  {note}", flush=True)

    # Random weights never end an answer by themselves: cap it at the length of a real 75-s
    # script's answer (issue 17: 900 tokens), as llm_bench.py measures it.
    from studio.engines.llm import fast_local as fast_llm

    fast_llm.MAX_NEW_TOKENS = ANSWER_TOKENS
    answers: list[tuple[float, int, str]] = []  # seconds, tokens, finish reason of every answer the step asked for
    complete = fast_llm.FastLocalScriptEngine._complete

    def timed_complete(self, messages, ctx):
        started = time.perf_counter()
        answer = complete(self, messages, ctx)
        answers.append((time.perf_counter() - started, answer.tokens, answer.finish_reason))
        return answer

    fast_llm.FastLocalScriptEngine._complete = timed_complete

    # The real-shape folder's tokenizer is byte-level (no hub here): the app's 3,700-character
    # script prompt becomes ~3,700 tokens instead of the ~1,300 Qwen's BPE makes of it, and
    # prefill grows with the square of it (measured: 35 s at 3,707 tokens vs 11 s at 1,300).
    # Feed the prompt's last PROMPT_TOKENS tokens (the chat turn's end included), so the step
    # computes what a real Qwen2.5 would; the table says how long the prompt really was.
    from studio.engines.llm import ort_genai

    generate = ort_genai.OrtChat.generate
    prompt_sizes: list[int] = []

    def real_sized(self, prompt, **kw):
        ids = list(self.tokenizer.encode(prompt))
        prompt_sizes.append(len(ids))
        if len(ids) > PROMPT_TOKENS:
            prompt = str(self.tokenizer.decode(ids[-PROMPT_TOKENS:]))
        return generate(self, prompt, **kw)

    ort_genai.OrtChat.generate = real_sized
    run("script", f"1.5B int4 ({models['llm'].name}), random weights, ≤ {ANSWER_TOKENS} tokens per answer")
    if prompt_sizes:
        print(f"  script prompt: {prompt_sizes[0]} byte-level tokens, fed as its last {PROMPT_TOKENS} "
              "(Qwen2.5's tokenizer length)", flush=True)
    print("  script answers: " + "; ".join(f"{sec:.0f} s, {tok} tokens ({tok / sec:.1f}/s), {why or '?'}"
                                          for sec, tok, why in answers), flush=True)
    note = ""
    if len(project.scenes) < scenes_wanted or not all(s.narration.strip() for s in project.scenes):
        from studio.core.presets import find_theme
        from studio.engines.base import ScriptRequest
        from studio.engines.llm.template import TemplateScriptEngine

        got = len(project.scenes)
        request = ScriptRequest(title=b.title, region=b.region, theme=b.theme, key_facts=(), target_seconds=75,
                                min_seconds=60, max_seconds=90, words_per_minute=150, theme_preset=find_theme(b.theme))
        from studio.core.project import Scene

        drafts = TemplateScriptEngine().write(request, JobContext("script")).scenes
        project.scenes = [Scene(narration=d.narration, image_prompt=d.image_prompt, on_screen_text=d.on_screen_text)
                          for d in drafts]
        note = f"(random model gave {got} speakable scenes: template scenes used)"
    project.scenes = project.scenes[:scenes_wanted]
    storage.save_project(root, project)
    images_note = "torch" if args.torch_images else "OpenVINO when converted"
    run("images", f"{len(project.scenes)} scenes, SD-Turbo shapes, {images_note} {note}")
    run("voice", "VITS, MMS-TTS shapes")
    run("subtitles", "Whisper base (bundled)")
    run("music")
    with PeakRss() as rss:
        started = time.perf_counter()
        job = steps.prepare_export(project, root, settings, force=True)
        outcome = job.run(JobContext("export"))
        seconds = time.perf_counter() - started
    rows.append(("export", seconds, rss.peak / 2 ** 30, "render + bundle"))
    print(f"  export     {seconds:7.1f} s   peak {rss.peak / 2 ** 30:5.2f} GB  {outcome!r:.120}", flush=True)
    total = sum(r[1] for r in rows)
    peak = max(r[2] for r in rows)
    print("\nstep        seconds   peak GB   note")
    for step, seconds, gb, what in rows:
        print(f"  {step:10s} {seconds:7.1f}   {gb:7.2f}   {what}")
    ok = total <= TARGET_SECONDS and peak <= TARGET_GB
    print(f"whole AI path {total:.0f} s (target ≤ {TARGET_SECONDS:.0f} s), peak {peak:.2f} GB (target ≤ "
          f"{TARGET_GB:.0f} GB): {'meets' if ok else 'MISSES'} the targets")
    for line in reasons(rows, answers):
        print(line)
    return 0 if ok else 1


def reasons(rows: list[tuple[str, float, float, str]], answers: list[tuple[float, int, str]]) -> list[str]:
    """Why a target is missed, from what was measured: the slowest and the largest steps, and
    what the script step would take with one answer (a real model's usual case)."""
    out: list[str] = []
    total = sum(r[1] for r in rows)
    if total > TARGET_SECONDS:
        slow = max(rows, key=lambda r: r[1])
        out.append(f"time: {slow[0]} takes {slow[1]:.0f} s of {total:.0f} s ({slow[1] / total:.0%})")
        if len(answers) > 1:
            first = answers[0][0]
            out.append(f"time: the script step asked {len(answers)} answers (random weights: the first was not "
                       f"usable); with one answer ({first:.0f} s) the path would take {total - slow[1] + first:.0f} s"
                       if slow[0] == "script" else f"time: the script step asked {len(answers)} answers")
    for step, _, gb, _ in rows:
        if gb > TARGET_GB:
            out.append(f"memory: {step} peaks at {gb:.2f} GB (this process and its children, the app's own "
                       f"baseline included)")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
