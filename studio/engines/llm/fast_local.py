"""Script writing at laptop speed: an int4 chat model on the CPU through ONNX Runtime GenAI or OpenVINO GenAI.

Measured (tests/bench/llm_bench.py --quick, random Qwen2.5-1.5B shape, 2 threads, 2-core
box; the table is in ``engines.llm.convert_ort``): ONNX Runtime GenAI with int4 weights in
blocks of 256 at accuracy level 4 writes a 900-token answer after a 1300-token prompt in
36 s (35.6 tokens/s, the memory bandwidth's limit; 2.0 GB peak) against 369 s for today's
transformers bf16 path, so its 1.5B is the recommended model (converted on the machine:
no pre-converted ONNX Runtime GenAI Qwen2.5-1.5B/3B repository could be verified; the 0.5B
is amd's). OpenVINO GenAI (45 s: the fastest prefill, 7 s, but 24 tokens/s) stays for the
pre-converted OpenVINO folders the catalogue downloads. The backend follows the folder:
``genai_config.json`` (the model builder's output, ``engines.llm.convert_ort``) → ONNX
Runtime GenAI (``ort_genai``);
``openvino_model.xml`` + tokenizer graphs (``engines.llm.convert``) → OpenVINO GenAI.

Decoding is constrained to the script's JSON (``answer_regex``: ORT's guidance, OpenVINO's
``StructuredOutputConfig``), so even a small model cannot answer something unparseable;
the shared repair path and the one corrective retry of ``ChatScriptEngine`` stay behind
it, and ``retries`` counts how often that retry was still needed. Tokens stream into
``partial_text``; a cancel stops generation at the next token.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from pathlib import Path
from typing import Any

from studio.core.errors import EngineFailed, EngineUnavailable, Problem
from studio.core.jobs import Cancelled, JobContext
from studio.engines.base import DraftScene, EngineInfo
from studio.engines.llm.chat import ChatAnswer, ChatScriptEngine
from studio.engines.llm.convert import is_converted
from studio.engines.llm.convert_ort import is_converted_ort
from studio.engines.models.folders import config_revision, folder_licence, folder_model_id
from studio.engines.support import memory

log = logging.getLogger(__name__)

TOOL_NAME = "LLM lokal cepat (ONNX Runtime GenAI / OpenVINO GenAI)"
SUGGESTED = "qwen2.5-1.5b-instruct-int4-onnx"
"""The recommended fast model (ONNX Runtime GenAI won the bench), made on this computer from SUGGESTED_BASE."""
SUGGESTED_BASE = "qwen2.5-1.5b-instruct"
READY_MADE = "qwen2.5-1.5b-instruct-int4-ov"
"""A pre-converted download for when converting here is not possible (OpenVINO GenAI)."""
MAX_NEW_TOKENS = 3072


_CHAR = r'[^"\\\x00-\x1f]'


def _string(low: int, high: int) -> str:
    return '"' + _CHAR + "{%d,%d}" % (low, high) + '"'


def backend_of(folder: Path | None) -> str:
    """``onnxruntime-genai`` or ``openvino`` by what the folder holds ("" for neither)."""
    if folder is None:
        return ""
    if (Path(folder) / "genai_config.json").is_file():
        return "onnxruntime-genai"
    if (Path(folder) / "openvino_model.xml").is_file():
        return "openvino"
    return ""


_MODULES = {"onnxruntime-genai": ("onnxruntime_genai", "ONNX Runtime GenAI"),
            "openvino": ("openvino_genai", "OpenVINO GenAI")}


def answer_regex(min_scenes: int, max_scenes: int) -> str:
    """The script JSON as a regular expression: compact (no free whitespace), bounded strings and lists.

    A JSON Schema leaves whitespace free and strings unbounded, and a small or random
    model then fills its token budget with spaces and never closes the object; this
    pattern has a bounded length, so every answer that ends is whole and parses.
    Compact JSON also costs fewer tokens.
    """
    review = r"\[(" + _string(1, 160) + r"(," + _string(1, 160) + r"){0,3})?\]"
    scene = (r'\{"narration":' + _string(1, 600) + r',"image_prompt":' + _string(1, 300)
             + r',"on_screen_text":' + _string(0, 80) + r',"needs_review":' + review + r"\}")
    rest = max(0, min_scenes - 1), max(0, max_scenes - 1)
    return r'\{"scenes":\[' + scene + r"(," + scene + r"){%d,%d}\]\}" % rest


class FastLocalScriptEngine(ChatScriptEngine):
    """Writes the script with an int4 OpenVINO chat model on the CPU, its output held to the script schema."""

    tool_name = TOOL_NAME
    info = EngineInfo(
        key="script.fast_local", kind="script", name=TOOL_NAME, is_ai=True, licence="lihat kartu model",
        description_id="Naskah lokal cepat: model bahasa int4 (misalnya Qwen2.5-1.5B-Instruct) lewat ONNX Runtime "
                       "atau OpenVINO, tanpa internet, jawabannya selalu JSON naskah yang sah.",
        description_en="Fast local script: an int4 language model (for example Qwen2.5-1.5B-Instruct) through "
                       "ONNX Runtime or OpenVINO, without internet, its answer always valid script JSON.",
    )

    def __init__(self, model_dir: str | Path = "", *, threads: int = 2, temperature: float = 0.7,
                 seed: int = 1234, max_new_tokens: int | None = None, constrained: bool = True) -> None:
        super().__init__()
        self.model_dir = Path(model_dir).expanduser() if str(model_dir).strip() else None
        self.threads = max(1, int(threads))
        self.temperature = float(temperature)
        self.seed = int(seed)
        self.max_new_tokens = max_new_tokens
        self.constrained = constrained
        self._pipe: Any = None
        self.last_tokens = 0
        """Tokens generated in the last answer (also after a cancel)."""
        self.answers = 0
        self.retries = 0
        """Answers that did not parse even so and needed the corrective retry (for the bench and the log)."""

    @classmethod
    def from_settings(cls, settings: Any) -> FastLocalScriptEngine:
        from studio.engines.models.manager import default_folder

        folder = default_folder("llm_fast", settings)
        return cls(folder or "", threads=max(2, int(getattr(settings, "torch_threads", 2))),
                   temperature=settings.llm.temperature)

    @property
    def model_label(self) -> str:
        return folder_model_id(self.model_dir) if self.model_dir else "(no model)"

    @property
    def backend(self) -> str:
        """The runtime this engine's folder is for (``onnxruntime-genai`` or ``openvino``; "" for neither)."""
        return backend_of(self.model_dir)

    def preflight(self) -> list[Problem]:
        problems: list[Problem] = []
        if self.model_dir is None:
            problems.append(Problem(
                f"No fast local model is chosen. Make the suggested one on this computer: download "
                f"{SUGGESTED_BASE} ('studio models download {SUGGESTED_BASE}'), then run 'studio models convert "
                f"{SUGGESTED}' (or “Konversi di komputer ini” in the model window); or download a ready "
                f"OpenVINO one with 'studio models download {READY_MADE}'.",
                f"Model lokal cepat belum dipilih. Buat model yang disarankan di komputer ini: unduh "
                f"{SUGGESTED_BASE} ('studio models download {SUGGESTED_BASE}'), lalu jalankan 'studio models "
                f"convert {SUGGESTED}' (atau “Konversi di komputer ini” di jendela Model AI); atau unduh model "
                f"OpenVINO siap pakai dengan 'studio models download {READY_MADE}'."))
            return problems
        backend = self.backend
        whole = {"onnxruntime-genai": is_converted_ort, "openvino": is_converted}.get(backend)
        if whole is None or not whole(self.model_dir):
            problems.append(Problem(
                f"{self.model_dir} is not a whole ONNX Runtime GenAI or OpenVINO chat model (genai_config.json "
                "with its graph and tokenizer.json, or openvino_model.xml with the tokenizer graphs). Convert the "
                "model again or choose another folder.",
                f"{self.model_dir} bukan model obrolan ONNX Runtime GenAI atau OpenVINO yang lengkap "
                "(genai_config.json dengan grafik dan tokenizer.json, atau openvino_model.xml dengan grafik "
                "tokenizer). Konversi ulang modelnya atau pilih folder lain."))
            return problems
        module, name = _MODULES[backend]
        if importlib.util.find_spec(module) is None:
            problems.append(Problem(
                f"{name} is not installed; install Studio Lokal with its 'fast' extra.",
                f"{name} belum terpasang; pasang Studio Lokal dengan tambahan 'fast'."))
        return problems

    @property
    def loaded(self) -> bool:
        return self._pipe is not None

    def load(self, ctx: JobContext | None = None) -> Any:
        """The model, loaded once for the CPU with ``threads`` threads (an ``OrtChat`` or an OpenVINO LLMPipeline)."""
        if self._pipe is not None:
            return self._pipe
        self._raise_unless_ready()
        if ctx is not None:
            ctx.check()
            ctx.progress(0, 1, "Memuat model bahasa lokal cepat")
        started = time.perf_counter()
        try:
            if self.backend == "onnxruntime-genai":
                from studio.engines.llm.ort_genai import OrtChat

                self._pipe = OrtChat(self.model_dir, self.threads)  # type: ignore[arg-type]
            else:
                import openvino_genai as ov_genai

                self._pipe = ov_genai.LLMPipeline(str(self.model_dir), "CPU", INFERENCE_NUM_THREADS=self.threads)
        except MemoryError as exc:
            raise EngineFailed("There is not enough memory to load the language model; choose a smaller one.",
                               "Memori tidak cukup untuk memuat model bahasa; pilih model yang lebih kecil.",
                               details=repr(exc)) from exc
        except Exception as exc:
            raise EngineUnavailable(
                f"The model in {self.model_dir} cannot be loaded; convert it again or choose another.",
                f"Model di {self.model_dir} tidak bisa dimuat; konversi ulang atau pilih model lain.",
                problems=[str(exc)[:300]], details=repr(exc)) from exc
        log.info("loaded %s (%s) in %.1f s", self.model_dir, self.backend, time.perf_counter() - started)
        return self._pipe

    def unload(self) -> None:
        self._pipe = None
        memory.release()

    def _ask_scenes(self, messages: list[dict[str, str]], ctx: JobContext, *, min_scenes: int,
                    max_scenes: int, keep: int) -> tuple[list[DraftScene], ChatAnswer, int]:
        self.answers += 1
        got = super()._ask_scenes(messages, ctx, min_scenes=min_scenes, max_scenes=max_scenes, keep=keep)
        if got[2] > 1:
            self.retries += 1
        return got

    def generation_config(self, limit: int) -> Any:
        import openvino_genai as ov_genai

        config = ov_genai.GenerationConfig()
        config.max_new_tokens = limit
        config.apply_chat_template = False  # the prompt below already went through the model's template
        if self.temperature > 0:
            config.do_sample = True
            config.temperature = self.temperature
            config.rng_seed = self.seed
        else:
            config.do_sample = False
        if self.constrained:
            config.structured_output_config = ov_genai.StructuredOutputConfig(
                regex=answer_regex(*self._scene_range))
        return config

    def _limit(self) -> int:
        return self.max_new_tokens or min(MAX_NEW_TOKENS, max(512, self._expected_chars // 2))

    def _complete(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        if self.backend == "onnxruntime-genai":
            return self._complete_ort(messages, ctx)
        return self._complete_openvino(messages, ctx)

    def _complete_ort(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        chat = self.load(ctx)
        prompt = chat.chat_prompt(messages)
        limit = self._limit()
        state = {"tokens": 0, "last": 0.0}

        def piece(text: str, tokens: int) -> bool:
            state["tokens"] = tokens
            if text:
                self._add_partial(text)
            now = time.monotonic()
            if now - state["last"] > 0.1:
                state["last"] = now
                self._report_stream(ctx, tokens=tokens)
            return not ctx.cancelled

        pattern = answer_regex(*self._scene_range) if self.constrained else None
        try:
            text, tokens, cut = chat.generate(prompt, limit=limit, temperature=self.temperature, seed=self.seed,
                                              pattern=pattern, on_piece=piece)
        except MemoryError as exc:
            raise EngineFailed("There is not enough memory to write with the language model.",
                               "Memori tidak cukup untuk menulis dengan model bahasa.", details=repr(exc)) from exc
        except RuntimeError as exc:
            raise EngineFailed(
                "The language model failed while writing; try again, or convert the model again.",
                "Model bahasa gagal saat menulis; coba lagi, atau konversi ulang modelnya.",
                details=repr(exc)) from exc
        finally:
            self.last_tokens = int(state["tokens"])
        if ctx.cancelled:
            raise Cancelled(ctx.step)
        self._report_stream(ctx, tokens=tokens)
        return ChatAnswer(text=text, model=self.model_label, finish_reason="length" if cut else "stop",
                          streamed=True, tokens=tokens)

    def _complete_openvino(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        import openvino_genai as ov_genai

        pipe = self.load(ctx)
        tokenizer = pipe.get_tokenizer()
        try:
            prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True)
        except Exception:  # templates that refuse a system message: fold it into the first user turn
            system, rest = messages[0]["content"], [dict(m) for m in messages[1:]]
            rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
            prompt = tokenizer.apply_chat_template(rest, add_generation_prompt=True)
        limit = self._limit()
        state = {"tokens": 0, "last": 0.0}

        def stream(piece: str) -> Any:
            state["tokens"] += 1
            if piece:
                self._add_partial(piece)
            now = time.monotonic()
            if now - state["last"] > 0.1:
                state["last"] = now
                self._report_stream(ctx, tokens=state["tokens"])
            return ov_genai.StreamingStatus.CANCEL if ctx.cancelled else ov_genai.StreamingStatus.RUNNING

        try:
            result = pipe.generate(prompt, self.generation_config(limit), streamer=stream)
        except MemoryError as exc:
            raise EngineFailed("There is not enough memory to write with the language model.",
                               "Memori tidak cukup untuk menulis dengan model bahasa.", details=repr(exc)) from exc
        except RuntimeError as exc:
            raise EngineFailed(
                "The language model failed while writing; try again, or convert the model again.",
                "Model bahasa gagal saat menulis; coba lagi, atau konversi ulang modelnya.",
                details=repr(exc)) from exc
        finally:
            self.last_tokens = state["tokens"]
        if ctx.cancelled:
            raise Cancelled(ctx.step)
        text = result.texts[0] if hasattr(result, "texts") else str(result)
        tokens = int(result.perf_metrics.get_num_generated_tokens()) if hasattr(result, "perf_metrics") \
            else state["tokens"]
        streamed = self.partial_text
        if len(text) > len(streamed) and text.startswith(streamed):
            self._add_partial(text[len(streamed):])
        self._report_stream(ctx, tokens=tokens)
        return ChatAnswer(text=text, model=self.model_label, finish_reason="length" if tokens >= limit else "stop",
                          streamed=True, tokens=tokens)

    def _provenance_params(self, answer: ChatAnswer) -> dict[str, Any]:
        return {"temperature": self.temperature, "runtime": self._runtime_label(), "weights": "int4",
                "threads": self.threads, "tokens": answer.tokens, "constrained_json": self.constrained,
                "retries_so_far": self.retries, "folder": self.model_dir.name if self.model_dir else ""}

    def _runtime_label(self) -> str:
        if self.backend == "onnxruntime-genai":
            from studio.engines.llm.ort_genai import runtime_version

            return f"onnxruntime-genai {runtime_version()}".strip()
        return "openvino-genai"

    def _provenance_revision(self) -> str:
        if self.model_dir is None:
            return ""
        return config_revision(self.model_dir, ("config.json", "generation_config.json", "openvino_config.json",
                                                "genai_config.json"))

    def _provenance_seed(self) -> int | None:
        return self.seed

    def _provenance_licence(self) -> str:
        return folder_licence(self.model_dir) if self.model_dir else self.info.licence
