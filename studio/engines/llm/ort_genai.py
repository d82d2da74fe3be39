"""The ONNX Runtime GenAI backend of the fast local script engine: load, chat template, constrained decoding.

A folder with ``genai_config.json`` (made by the model builder, ``engines.llm.convert_ort``,
or downloaded pre-converted) is loaded on the CPU with ``threads`` intra-op threads. The
answer is decoded token by token so each piece streams at once and a cancel stops at the
next token; with a pattern, decoding is held to it by the runtime's guidance (LLGuidance,
``GeneratorParams.set_guidance("regex", ...)``), so every answer that ends is whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

RUNTIME = "onnxruntime-genai"
PREFILL_CHUNK = 256
"""Prompt tokens fed per forward pass. One pass over the whole prompt holds attention scratch
for every prompt token against every other; in chunks it holds 256 × the prompt. Measured on
the 1.5B int4 shape with a 1300-token prompt, 2 threads: peak RSS 2.08 → 1.29 GB, prefill
11.1 → 10.8 s (ru_maxrss, two runs each)."""


def runtime_version() -> str:
    import onnxruntime_genai as og

    return str(getattr(og, "__version__", ""))


class OrtChat:
    """One loaded ONNX Runtime GenAI chat model."""

    def __init__(self, folder: Path, threads: int) -> None:
        import onnxruntime_genai as og

        config = og.Config(str(folder))
        config.clear_providers()  # the CPU
        config.overlay(json.dumps({"model": {"decoder": {"session_options": {
            "intra_op_num_threads": int(threads), "inter_op_num_threads": 1}}}}))
        self.folder = Path(folder)
        self.model = og.Model(config)
        self.tokenizer = og.Tokenizer(self.model)
        self._hf_tokenizer: Any = None
        eos = json.loads((self.folder / "genai_config.json").read_text(encoding="utf-8"))["model"].get("eos_token_id")
        self.eos = {int(t) for t in (eos if isinstance(eos, list) else [eos]) if t is not None}

    def chat_prompt(self, messages: list[dict[str, str]]) -> str:
        """``messages`` through the model's chat template, ready for the assistant's turn."""
        try:
            return str(self.tokenizer.apply_chat_template(json.dumps(messages), add_generation_prompt=True))
        except Exception:  # an older runtime, or a template its engine does not know: the model's own Jinja
            if self._hf_tokenizer is None:
                from transformers import AutoTokenizer

                self._hf_tokenizer = AutoTokenizer.from_pretrained(str(self.folder))
            return str(self._hf_tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))

    def generate(self, prompt: str, *, limit: int, temperature: float, seed: int, pattern: str | None,
                 on_piece: Callable[[str, int], bool]) -> tuple[str, int, bool]:
        """Decode up to ``limit`` tokens after ``prompt``; ``on_piece(text, tokens)`` returns False to stop.

        Returns (the answer's text, generated tokens, stopped by the limit).
        """
        import onnxruntime_genai as og

        ids = self.tokenizer.encode(prompt)
        params = og.GeneratorParams(self.model)
        options: dict[str, Any] = {"max_length": int(len(ids) + limit)}
        if temperature > 0:
            options.update(do_sample=True, temperature=float(temperature), top_k=50, top_p=0.95,
                           random_seed=int(seed))
        else:
            options.update(do_sample=False)
        params.set_search_options(**options)
        if pattern:
            params.set_guidance("regex", pattern)
        generator = og.Generator(self.model, params)
        for start in range(0, len(ids), PREFILL_CHUNK):
            generator.append_tokens(ids[start:start + PREFILL_CHUNK])
        stream = self.tokenizer.create_stream()
        tokens: list[int] = []
        while not generator.is_done():
            generator.generate_next_token()
            token = int(generator.get_next_tokens()[0])
            tokens.append(token)
            piece = "" if token in self.eos else stream.decode(token)
            if not on_piece(piece, len(tokens)):
                break
        count = len(tokens)
        while tokens and tokens[-1] in self.eos:  # the end-of-turn token is not part of the answer
            tokens.pop()
        text = str(self.tokenizer.decode(tokens)) if tokens else ""
        return text, count, count >= limit
