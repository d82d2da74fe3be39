"""Benchmark: placeholder art, the template composer, and the diffusers engine's CPU choices.

Run on demand (not collected by pytest):

    python tests/bench/images_bench.py            # placeholder + template + tiny diffusers
    python tests/bench/images_bench.py --real-size # also one SD-turbo-shaped UNet step (slow, ~2 GB RAM)

Prints side-by-side numbers measured in one run, interleaved (A B A B ...) so a busy
machine affects every variant alike. The ratios matter, not the absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for tiny_diffusers

from PIL import Image  # noqa: E402

from studio.core.jobs import JobContext  # noqa: E402
from studio.core.presets import find_theme  # noqa: E402
from studio.engines.base import ImageRequest, ScriptRequest  # noqa: E402
from studio.engines.image_placeholder import render  # noqa: E402
from studio.engines.llm_template import TemplateScriptEngine  # noqa: E402


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bench_placeholder(rounds: int) -> None:
    req = ImageRequest(prompt="x", width=1080, height=1920, seed=7, title="Siklus 35 hari", index=2)
    tmp = Path(tempfile.mkdtemp())
    flat = Image.new("RGB", (1080, 1920), (120, 80, 40))
    art = render(req)
    results: dict[str, list[float]] = {"render": [], "render+png(level1)": [], "flat png(level1)": []}
    for i in range(rounds):
        results["render"] += timed(lambda: render(req), 1)
        results["render+png(level1)"] += timed(lambda: render(req).save(tmp / f"a{i}.png", compress_level=1), 1)
        results["flat png(level1)"] += timed(lambda: flat.save(tmp / f"f{i}.png", compress_level=1), 1)
    base = statistics.median(results["flat png(level1)"])
    print("placeholder 1080x1920 (median of %d):" % rounds)
    for name, values in results.items():
        med = statistics.median(values)
        print(f"  {name:22s} {med * 1000:7.1f} ms   x{med / base:5.1f} of a flat PNG save")
    print(f"  PNG size: {(tmp / 'a0.png').stat().st_size / 1e6:.2f} MB; art mean {sum(art.getdata(0)) / (1080 * 1920):.0f}")


def bench_template(rounds: int) -> None:
    engine = TemplateScriptEngine()
    req = ScriptRequest(title="Weton", region="Klaten", theme="weton", key_facts=("Fakta satu.", "Fakta dua."),
                        target_seconds=64.5, min_seconds=52.5, max_seconds=76.5, words_per_minute=150,
                        theme_preset=find_theme("weton"))
    values = timed(lambda: engine.write(req, JobContext("script")), rounds)
    print(f"template composer: {statistics.median(values) * 1000:.1f} ms per script (median of {rounds})")


def bench_tiny_diffusers(rounds: int) -> None:
    from tiny_diffusers import tiny_sd_folder

    from studio.engines.image_diffusers import DiffusersImageEngine

    folder = tiny_sd_folder(Path(tempfile.mkdtemp()))
    variants = {f"{dtype} {threads}thr": DiffusersImageEngine(folder, threads=threads, dtype=dtype)
                for dtype in ("float32", "bfloat16") for threads in (1, 2)}
    req = ImageRequest(prompt="rice terraces", width=64, height=64, seed=1, steps=2, guidance=7.5)
    out = Path(tempfile.mkdtemp())
    times: dict[str, list[float]] = {k: [] for k in variants}
    for name, eng in variants.items():
        eng.generate(req, out / "warm.png", JobContext("images"))  # load + warm up
    for _ in range(rounds):
        for name, eng in variants.items():
            times[name] += timed(lambda: eng.generate(req, out / "x.png", JobContext("images")), 1)
    base = statistics.median(times["float32 1thr"])
    print(f"tiny diffusers 64x64, 2 steps (median of {rounds}, latency-bound; see --real-size for real shapes):")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"  {name:14s} {med * 1000:7.1f} ms   x{med / base:4.2f}")


def bench_real_unet() -> None:
    import torch
    from diffusers import UNet2DConditionModel

    unet = UNet2DConditionModel(
        sample_size=64, block_out_channels=(320, 640, 1280, 1280), cross_attention_dim=1024,
        attention_head_dim=(5, 10, 20, 20), use_linear_projection=True, layers_per_block=2,
        down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3).eval()
    print("SD-turbo-shaped UNet, one step (384x680 latents 48x85):")
    for dtype in (torch.float32, torch.bfloat16):
        for threads in (1, 2):
            torch.set_num_threads(threads)
            model = unet.to(dtype)
            x = torch.randn(1, 4, 85, 48, dtype=dtype)
            ctx = torch.randn(1, 77, 1024, dtype=dtype)
            with torch.inference_mode():
                t0 = time.perf_counter()
                model(x, 999, encoder_hidden_states=ctx)
                print(f"  {str(dtype):15s} {threads} thr  {time.perf_counter() - t0:6.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--real-size", action="store_true")
    args = parser.parse_args()
    bench_placeholder(args.rounds)
    bench_template(args.rounds * 4)
    bench_tiny_diffusers(args.rounds)
    if args.real_size:
        bench_real_unet()


if __name__ == "__main__":
    main()
