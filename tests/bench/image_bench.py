"""Benchmark: an SD-Turbo-sized image pipeline on this CPU, and the light image/script paths.

Run on demand (not collected by pytest):

    python tests/bench/image_bench.py               # SD-Turbo-sized pipeline, every variant (~10 min)
    python tests/bench/image_bench.py --quick       # only the defaults and their fp32 / full-VAE contrasts
    python tests/bench/image_bench.py --light       # placeholder art, template composer, tiny diffusers

The SD-Turbo-sized pipeline is built from the published configurations with random
weights (compute does not depend on the weights): UNet 2.1 (866 M parameters), the
OpenCLIP ViT-H text encoder (340 M), the SD VAE (84 M) or TAESD (2.4 M), Euler
scheduler. One 512×512 image at 1 step, no classifier-free guidance, generated through
``DiffusersImageEngine.generate`` (the app's own call, progress callback included).

Each variant runs in its own process (so peak memory is that variant's alone): the
models are built directly in the variant's dtype, one warm-up image, then timed images.
Printed side by side with the ratio to the defaults (bf16 where the CPU supports it,
1 thread, tiny VAE). The machine is shared: ratios measured in one run matter more than
absolute seconds. Target with the defaults: ≤ 15 s per image and ≤ 4 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for tiny_diffusers

TARGET_SECONDS = 15.0
TARGET_GB = 4.0


def build_pipeline(dtype_name: str, vae_kind: str):
    """SD-Turbo's architecture (SD 2.1 base) with random weights, built in ``dtype``."""
    import torch
    from diffusers import (
        AutoencoderKL,
        AutoencoderTiny,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from tiny_diffusers import _write_tokenizer
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    dtype = {"bfloat16": torch.bfloat16, "float32": torch.float32}[dtype_name]
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # parameters are created in the variant's dtype: no fp32 copy in memory
    try:
        unet = UNet2DConditionModel(
            sample_size=64, in_channels=4, out_channels=4, block_out_channels=(320, 640, 1280, 1280),
            layers_per_block=2, cross_attention_dim=1024, attention_head_dim=(5, 10, 20, 20),
            use_linear_projection=True,
            down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
            up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3)
        text = CLIPTextModel(CLIPTextConfig(
            vocab_size=49408, hidden_size=1024, intermediate_size=4096, num_hidden_layers=23,
            num_attention_heads=16, max_position_embeddings=77, hidden_act="gelu", projection_dim=512,
            bos_token_id=0, eos_token_id=2, pad_token_id=1))
        if vae_kind == "tiny":
            vae = AutoencoderTiny()  # the TAESD architecture
        else:
            vae = AutoencoderKL(
                in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(128, 256, 512, 512),
                layers_per_block=2, down_block_types=("DownEncoderBlock2D",) * 4,
                up_block_types=("UpDecoderBlock2D",) * 4, sample_size=768)
    finally:
        torch.set_default_dtype(previous)
    tok_dir = Path(tempfile.mkdtemp()) / "tok"
    _write_tokenizer(tok_dir)
    tokenizer = CLIPTokenizer.from_pretrained(str(tok_dir), model_max_length=77)
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       timestep_spacing="trailing", prediction_type="epsilon", steps_offset=1)
    pipe = StableDiffusionPipeline(unet=unet.eval(), vae=vae.eval(), text_encoder=text.eval(), tokenizer=tokenizer,
                                   scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def run_variant(dtype_name: str, threads: int, vae_kind: str, images: int) -> dict:
    """Build, warm up, time ``images`` images; return seconds and peak memory (this process)."""
    import torch

    from studio.core.jobs import JobContext
    from studio.engines.base import ImageRequest
    from studio.engines.image.diffusion import DiffusersImageEngine

    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    pipe = build_pipeline(dtype_name, vae_kind)
    built = time.perf_counter() - t0
    engine = DiffusersImageEngine(Path(tempfile.mkdtemp()) / "sd-turbo-random-weights", threads=threads,
                                  dtype=dtype_name)
    engine._pipe = pipe  # the app's generate() on the in-memory pipeline (no 2.6 GB save/load per variant)
    engine._dtype_name = dtype_name
    out = Path(tempfile.mkdtemp())
    request = ImageRequest(prompt="rice terraces in Bali at dawn, documentary photograph", width=512, height=512,
                           seed=1, steps=1, guidance=0.0, negative_prompt="text, watermark")
    stages = _stage_timers(pipe)
    engine.generate(request, out / "warm.png", JobContext("images"))
    times = []
    for key in stages:
        stages[key].clear()
    for i in range(images):
        t = time.perf_counter()
        result = engine.generate(request, out / f"{i}.png", JobContext("images"))
        times.append(time.perf_counter() - t)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    return {"dtype": dtype_name, "threads": threads, "vae": vae_kind, "build_s": round(built, 1),
            "seconds": [round(x, 2) for x in times], "median_s": round(statistics.median(times), 2),
            "stages": {k: round(statistics.median(v), 2) for k, v in stages.items() if v},
            "peak_gb": round(peak_gb, 2), "size": [result.width, result.height]}


def _stage_timers(pipe) -> dict[str, list[float]]:
    """Seconds spent in the text encoder, the UNet and the VAE decoder, per image (forward hooks)."""
    stages: dict[str, list[float]] = {"text": [], "unet": [], "decode": []}
    started: dict[str, float] = {}
    for key, module in (("text", pipe.text_encoder), ("unet", pipe.unet), ("decode", pipe.vae.decoder)):
        def pre(_m, _a, key=key) -> None:
            started[key] = time.perf_counter()

        def post(_m, _a, _o, key=key) -> None:
            stages[key].append(time.perf_counter() - started[key])

        module.register_forward_pre_hook(pre)
        module.register_forward_hook(post)
    return stages


def bench_real(quick: bool, images: int) -> None:
    from studio.engines.image.diffusion import cpu_supports_bf16

    default_dtype = "bfloat16" if cpu_supports_bf16() else "float32"
    variants = [(default_dtype, 1, "tiny"), ("float32", 1, "tiny"), (default_dtype, 1, "full")]
    if not quick:
        variants += [(default_dtype, 2, "tiny"), ("float32", 2, "tiny"), ("float32", 1, "full"),
                     (default_dtype, 2, "full")]
    variants = list(dict.fromkeys(variants))
    print(f"SD-Turbo-sized pipeline, 512×512, 1 step, no CFG; {images} timed image(s) per variant after a warm-up;"
          f" CPU bf16 native: {cpu_supports_bf16()}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
          "cores", flush=True)
    results = []
    for dtype_name, threads, vae in variants:
        cmd = [sys.executable, __file__, "--variant", f"{dtype_name},{threads},{vae}", "--images", str(images)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("{")), None)
        if proc.returncode or line is None:
            print(f"  {dtype_name} {threads}thr {vae}: failed\n{proc.stderr[-2000:]}", flush=True)
            continue
        r = json.loads(line)
        results.append(r)
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in r.get("stages", {}).items())
        print(f"  done {dtype_name:8s} {threads} thr {vae:4s} VAE: {r['median_s']:6.1f} s/image ({stages}), peak "
              f"{r['peak_gb']:.2f} GB (built in {r['build_s']} s; runs {r['seconds']})", flush=True)
    if not results:
        return
    base = results[0]
    print("\nvariant                       s/image   × default   peak GB   target (≤15 s, ≤4 GB)")
    for r in results:
        name = f"{r['dtype']} {r['threads']}thr {r['vae']} VAE"
        mark = ""
        if r is base:
            ok = r["median_s"] <= TARGET_SECONDS and r["peak_gb"] <= TARGET_GB
            mark = "  <- defaults: " + ("meets the target" if ok else "MISSES the target")
        print(f"  {name:26s} {r['median_s']:8.1f}   {r['median_s'] / base['median_s']:8.2f}   {r['peak_gb']:7.2f}{mark}")


# ------------------------------------------------------------------ the light paths (was images_bench.py)


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bench_light(rounds: int) -> None:
    from PIL import Image
    from tiny_diffusers import tiny_sd_folder

    from studio.core.jobs import JobContext
    from studio.core.presets import find_theme
    from studio.engines.base import ImageRequest, ScriptRequest
    from studio.engines.image.diffusion import DiffusersImageEngine
    from studio.engines.image.placeholder import render
    from studio.engines.llm.template import TemplateScriptEngine

    req = ImageRequest(prompt="x", width=1080, height=1920, seed=7, title="Siklus 35 hari", index=2)
    tmp = Path(tempfile.mkdtemp())
    flat = Image.new("RGB", (1080, 1920), (120, 80, 40))
    results: dict[str, list[float]] = {"render": [], "render+png(level1)": [], "flat png(level1)": []}
    for i in range(rounds):
        results["render"] += timed(lambda: render(req), 1)
        results["render+png(level1)"] += timed(lambda: render(req).save(tmp / f"a{i}.png", compress_level=1), 1)
        results["flat png(level1)"] += timed(lambda: flat.save(tmp / f"f{i}.png", compress_level=1), 1)
    base = statistics.median(results["flat png(level1)"])
    print(f"placeholder 1080x1920 (median of {rounds}):")
    for name, values in results.items():
        med = statistics.median(values)
        print(f"  {name:22s} {med * 1000:7.1f} ms   x{med / base:5.1f} of a flat PNG save")
    engine = TemplateScriptEngine()
    sreq = ScriptRequest(title="Weton", region="Klaten", theme="weton", key_facts=("Fakta satu.", "Fakta dua."),
                         target_seconds=64.5, min_seconds=52.5, max_seconds=76.5, words_per_minute=150,
                         theme_preset=find_theme("weton"))
    values = timed(lambda: engine.write(sreq, JobContext("script")), rounds * 4)
    print(f"template composer: {statistics.median(values) * 1000:.1f} ms per script (median of {rounds * 4})")
    folder = tiny_sd_folder(Path(tempfile.mkdtemp()))
    variants = {f"{dtype} {threads}thr": DiffusersImageEngine(folder, threads=threads, dtype=dtype)
                for dtype in ("float32", "bfloat16") for threads in (1, 2)}
    ireq = ImageRequest(prompt="rice terraces", width=64, height=64, seed=1, steps=2, guidance=7.5)
    times: dict[str, list[float]] = {k: [] for k in variants}
    for eng in variants.values():
        eng.generate(ireq, tmp / "warm.png", JobContext("images"))
    for _ in range(rounds):  # interleaved so a busy machine affects every variant alike
        for name, eng in variants.items():
            times[name] += timed(lambda: eng.generate(ireq, tmp / "x.png", JobContext("images")), 1)
    base = statistics.median(times["float32 1thr"])
    print(f"tiny diffusers 64x64, 2 steps (median of {rounds}; latency-bound, see the SD-Turbo-sized run):")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"  {name:14s} {med * 1000:7.1f} ms   x{med / base:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--light", action="store_true", help="only the placeholder/template/tiny-diffusers part")
    parser.add_argument("--images", type=int, default=2, help="timed images per variant")
    parser.add_argument("--rounds", type=int, default=5, help="rounds for the light part")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        dtype_name, threads, vae = args.variant.split(",")
        print(json.dumps(run_variant(dtype_name, int(threads), vae, args.images)), flush=True)
        return
    if args.light:
        bench_light(args.rounds)
        return
    bench_real(args.quick, args.images)


if __name__ == "__main__":
    main()
