"""Benchmark: how long a local chat model needs to write a script on this CPU.

Run on demand (not collected by pytest):

    python tests/bench/llm_bench.py                 # Qwen2.5-1.5B and 0.5B shapes, bf16 and fp32
    python tests/bench/llm_bench.py --quick         # only Qwen2.5-1.5B in the default dtype

The models are built from the published Qwen2.5 Instruct configurations with random
weights (the compute per token does not depend on the weights) and driven through
``transformers``' ``generate`` as ``LocalChatScriptEngine`` does: a prompt of the size
the script prompt has (about 1,300 tokens with Qwen's tokenizer), then greedy decoding.
Printed: prefill seconds, decode tokens per second, the estimated time for a typical
answer (about 900 tokens for a 75-second script in JSON) and peak memory; each
variant in its own process so its peak memory is its own.

Beside today's transformers path it measures the CPU runtimes of issue 17 on the same
random 1.5B model, int4 weight-compressed by each runtime's own converter, 2 threads, in
the variants of ``FAST_VARIANTS`` (converter options and runtime properties side by side:
``optimum-cli export openvino --weight-format int4`` with and without ``--sym`` and the
CPU plugin's KV-cache / dynamic-quantization properties; ``onnxruntime_genai.models.builder
-p int4 -e cpu`` with accuracy level 1 (fp32 activations) and 4 (int8 activations, the
VNNI/AVX2 integer kernels), blocks of 32, 128 and 256). The converted folders are kept in ``--models`` (default a
folder in the system temp dir) so a second run skips the conversion. The answer is 128
decoded tokens, extrapolated to 900 (said so in the output). The last line compares the
best runtime with the transformers default.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHAPES = {
    "qwen2.5-1.5b": dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12,
                         num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
    "qwen2.5-0.5b": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                         num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
}
FAST_VARIANTS: dict[str, tuple[str, list[str], dict[str, str]]] = {
    # name: (runtime, converter options, runtime properties)
    "ov-int4": ("openvino", [], {}),
    "ov-int4-sym": ("openvino", ["--sym", "--group-size", "128"],
                    {"KV_CACHE_PRECISION": "u8", "DYNAMIC_QUANTIZATION_GROUP_SIZE": "32"}),
    "ort-int4-acc1": ("onnxruntime-genai", ["--extra_options", "block_size=32", "accuracy_level=1"], {}),
    "ort-int4-acc4": ("onnxruntime-genai", ["--extra_options", "block_size=32", "accuracy_level=4"], {}),
    "ort-int4-acc4-b128": ("onnxruntime-genai", ["--extra_options", "block_size=128", "accuracy_level=4"], {}),
    "ort-int4-acc4-b256": ("onnxruntime-genai", ["--extra_options", "block_size=256", "accuracy_level=4"], {}),
}
PROMPT_TOKENS = 1300
ANSWER_TOKENS = 900
DECODE = 48
FAST_DECODE = 128


def run_variant(shape: str, dtype_name: str, threads: int) -> dict:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.set_num_threads(threads)
    dtype = {"bfloat16": torch.bfloat16, "float32": torch.float32}[dtype_name]
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        model = Qwen2ForCausalLM(Qwen2Config(max_position_embeddings=32768, **SHAPES[shape])).eval()
    finally:
        torch.set_default_dtype(previous)
    ids = torch.randint(0, 150000, (1, PROMPT_TOKENS))
    with torch.inference_mode():
        model.generate(ids[:, :32], max_new_tokens=4, do_sample=False)  # warm-up
        t0 = time.perf_counter()
        model.generate(ids, max_new_tokens=1, do_sample=False, min_new_tokens=1)
        prefill = time.perf_counter() - t0
        t0 = time.perf_counter()
        model.generate(ids, max_new_tokens=DECODE + 1, min_new_tokens=DECODE + 1, do_sample=False)
        both = time.perf_counter() - t0
    per_token = max(1e-6, (both - prefill) / DECODE)
    return {"shape": shape, "dtype": dtype_name, "threads": threads, "prefill_s": round(prefill, 1),
            "tokens_per_s": round(1 / per_token, 2),
            "answer_s": round(prefill + ANSWER_TOKENS * per_token, 0),
            "peak_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2)}


def run_fast(name: str, folder: str, threads: int) -> dict:
    """Prefill and decode on a converted int4 folder with OpenVINO GenAI or ONNX Runtime GenAI."""
    import numpy as np

    runtime, _, properties = FAST_VARIANTS[name]

    rng = np.random.default_rng(0)

    def prompt(n: int):
        # A fresh prompt every time: OpenVINO GenAI caches prefixes, and a repeated prompt would skip prefill.
        return rng.integers(0, 150000, size=(1, n), dtype=np.int64)

    if runtime == "openvino":
        import openvino as ov
        import openvino_genai as g

        pipe = g.LLMPipeline(folder, "CPU", INFERENCE_NUM_THREADS=threads, **properties)

        def measure(n: int, ids) -> tuple[float, float]:
            """(prefill s, s per decoded token) from the pipeline's own performance metrics."""
            config = g.GenerationConfig(max_new_tokens=n, min_new_tokens=n, ignore_eos=True, do_sample=False)
            result = pipe.generate(g.TokenizedInputs(ov.Tensor(ids), ov.Tensor(np.ones_like(ids))), config)
            metrics = result.perf_metrics
            return metrics.get_ttft().mean / 1000, metrics.get_tpot().mean / 1000
    else:
        import onnxruntime_genai as og

        config = og.Config(folder)
        config.overlay(json.dumps({"model": {"decoder": {"session_options": {
            "intra_op_num_threads": threads, "inter_op_num_threads": 1}}}}))
        model = og.Model(config)

        def measure(n: int, ids) -> tuple[float, float]:
            params = og.GeneratorParams(model)
            params.set_search_options(max_length=ids.shape[1] + n + 1, do_sample=False)
            gen = og.Generator(model, params)
            t0 = time.perf_counter()
            gen.append_tokens(ids)  # the prompt's forward pass (prefill)
            gen.generate_next_token()
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            done = 0
            while done < n - 1 and not gen.is_done():
                gen.generate_next_token()
                done += 1
            return first, (time.perf_counter() - t0) / max(1, done)

    measure(4, prompt(32))  # warm-up (compiles the graphs)
    prefill, per_token = measure(FAST_DECODE + 1, prompt(PROMPT_TOKENS))
    per_token = max(1e-6, per_token)
    return {"shape": "qwen2.5-1.5b", "dtype": f"int4 {name}", "threads": threads,
            "prefill_s": round(prefill, 1), "tokens_per_s": round(1 / per_token, 2),
            "answer_s": round(prefill + ANSWER_TOKENS * per_token, 0),
            "peak_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 2)}


def prepare_fast(models: Path) -> dict[str, Path]:
    """The random 1.5B model (bf16 safetensors) and its two int4 conversions, built once into ``models``."""
    hf, out = models / "qwen2.5-1.5b-random", {}
    if not (hf / "model.safetensors").exists():
        print(f"building the random 1.5B model in {hf} …", flush=True)
        subprocess.run([sys.executable, __file__, "--build", str(hf)], check=True)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from studio.engines.llm.convert import converter_command
    from studio.engines.llm.convert_ort import builder_command

    marker = {"openvino": "openvino_model.xml", "onnxruntime-genai": "genai_config.json"}
    for name, (runtime, options, _) in FAST_VARIANTS.items():
        folder = models / f"qwen2.5-1.5b-{name}"
        if not (folder / marker[runtime]).exists():
            # The engine's own converter command lines, with this variant's options.
            if runtime == "openvino":
                command = [*converter_command(hf, folder)[:-1], *options, str(folder)]
            else:
                command = builder_command(hf, folder, models / "ort-cache", extra=options[1:])
            t0 = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True, check=False)
            if proc.returncode:
                print(f"  converting {name} failed:\n{proc.stderr[-800:]}")
                continue
            print(f"  converted {name} in {time.perf_counter() - t0:.0f} s", flush=True)
        out[name] = folder
    return out


def build_random(folder: Path) -> None:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.tiny_chat import build_tiny_chat

    build_tiny_chat(folder)  # a byte-level tokenizer and chat template; the model is replaced below
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)
    config = Qwen2Config(max_position_embeddings=32768, rope_theta=1e6, eos_token_id=258, pad_token_id=256,
                         bos_token_id=None, **SHAPES["qwen2.5-1.5b"])
    for old in folder.glob("model*.safetensors"):
        old.unlink()
    Qwen2ForCausalLM(config).save_pretrained(str(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", type=Path, default=Path(tempfile.gettempdir()) / "studio-llm-bench",
                        help="where the random 1.5B model and its int4 conversions are kept between runs")
    parser.add_argument("--no-fast", action="store_true", help="only the transformers rows")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--fast", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_random(Path(args.build))
        return
    if args.variant:
        shape, dtype_name, threads = args.variant.split(",")
        print(json.dumps(run_variant(shape, dtype_name, int(threads))), flush=True)
        return
    if args.fast:
        runtime, folder, threads = args.fast.split(",")
        print(json.dumps(run_fast(runtime, folder, int(threads))), flush=True)
        return
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from studio.engines.image.diffusion import cpu_supports_bf16

    default = "bfloat16" if cpu_supports_bf16() else "float32"
    variants = [("qwen2.5-1.5b", default, 1)]
    if not args.quick:
        variants += [("qwen2.5-1.5b", "float32", 1), ("qwen2.5-1.5b", default, 2), ("qwen2.5-0.5b", default, 1)]
    print(f"prompt {PROMPT_TOKENS} tokens, answer ~{ANSWER_TOKENS} tokens (a 75 s script as JSON); "
          f"load average {__import__('os').getloadavg()[0]:.1f}", flush=True)
    jobs = [["--variant", f"{shape},{dtype_name},{threads}"] for shape, dtype_name, threads in variants]
    if not args.no_fast:
        print(f"int4 runtimes: {FAST_DECODE} tokens decoded, the 900-token answer extrapolated from them",
              flush=True)
        jobs += [["--fast", f"{name},{folder},2"] for name, folder in prepare_fast(args.models).items()]
    rows = []
    for job in jobs:
        shape, dtype_name, threads = job[1].split(",")
        proc = subprocess.run([sys.executable, __file__, *job], capture_output=True, text=True, check=False)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("{")), None)
        if proc.returncode or line is None:
            print(f"  {shape} {dtype_name} {threads}thr failed:\n{proc.stderr[-1500:]}", flush=True)
            continue
        rows.append(json.loads(line))
        r = rows[-1]
        print(f"  {r['shape']:13s} {r['dtype']:18s} {threads} thr: prefill {r['prefill_s']:5.1f} s, "
              f"{r['tokens_per_s']:5.2f} tok/s, answer ≈ {r['answer_s']:4.0f} s, peak {r['peak_gb']:.2f} GB",
              flush=True)
    if rows:
        base = rows[0]["answer_s"]
        print("\nvariant                                    answer s   × default   peak GB")
        for r in rows:
            print(f"  {r['shape']} {r['dtype']} {r['threads']}thr".ljust(43)
                  + f"{r['answer_s']:8.0f}   {r['answer_s'] / base:8.2f}   {r['peak_gb']:7.2f}")
        fast = [r for r in rows if r["dtype"].startswith("int4")]
        if fast:
            best = min(fast, key=lambda r: r["answer_s"])
            print(f"fastest: {best['dtype']} ({best['threads']} thr), peak {best['peak_gb']:.2f} GB")
            print(f"speedup {base / max(1.0, best['answer_s']):.1f}× (answer {best['answer_s']:.0f} s vs {base:.0f} s)")


if __name__ == "__main__":
    main()
