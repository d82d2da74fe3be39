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
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

SHAPES = {
    "qwen2.5-1.5b": dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12,
                         num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
    "qwen2.5-0.5b": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                         num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
}
PROMPT_TOKENS = 1300
ANSWER_TOKENS = 900
DECODE = 48


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        shape, dtype_name, threads = args.variant.split(",")
        print(json.dumps(run_variant(shape, dtype_name, int(threads))), flush=True)
        return
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from studio.engines.image.diffusion import cpu_supports_bf16

    default = "bfloat16" if cpu_supports_bf16() else "float32"
    variants = [("qwen2.5-1.5b", default, 1)]
    if not args.quick:
        variants += [("qwen2.5-1.5b", "float32", 1), ("qwen2.5-1.5b", default, 2), ("qwen2.5-0.5b", default, 1)]
    print(f"prompt {PROMPT_TOKENS} tokens, answer ~{ANSWER_TOKENS} tokens (a 75 s script as JSON); "
          f"load average {__import__('os').getloadavg()[0]:.1f}", flush=True)
    rows = []
    for shape, dtype_name, threads in variants:
        proc = subprocess.run([sys.executable, __file__, "--variant", f"{shape},{dtype_name},{threads}"],
                              capture_output=True, text=True, check=False)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("{")), None)
        if proc.returncode or line is None:
            print(f"  {shape} {dtype_name} {threads}thr failed:\n{proc.stderr[-1500:]}")
            continue
        rows.append(json.loads(line))
        r = rows[-1]
        print(f"  {shape:13s} {dtype_name:8s} {threads} thr: prefill {r['prefill_s']:5.1f} s, "
              f"{r['tokens_per_s']:5.2f} tok/s, answer ≈ {r['answer_s']:4.0f} s, peak {r['peak_gb']:.2f} GB",
              flush=True)
    if rows:
        base = rows[0]["answer_s"]
        print("\nvariant                          answer s   × default   peak GB")
        for r in rows:
            print(f"  {r['shape']} {r['dtype']} {r['threads']}thr".ljust(33)
                  + f"{r['answer_s']:8.0f}   {r['answer_s'] / base:8.2f}   {r['peak_gb']:7.2f}")


if __name__ == "__main__":
    main()
