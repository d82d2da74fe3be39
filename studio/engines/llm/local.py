"""Script writing with a chat model on this computer (transformers), from a model folder.

The folder is a saved transformers chat (instruct) model: ``config.json``, weights,
a tokenizer and a chat template (``settings.models.llm_local``, or the catalogue's
Qwen2.5 Instruct when it is in the app's model folder or the Hugging Face cache).
It is loaded with ``local_files_only=True``: nothing is ever downloaded here. The
default suggestion is **Qwen2.5-1.5B-Instruct** (Apache-2.0, 3.1 GB download): among
small open instruct models it speaks Indonesian (listed among its 29+ languages) and
keeps to a JSON format best for its size. Measured with its shape on the project's
2-core machine (tests/bench/llm_bench.py, bf16, 1 thread): 3.7 GB peak memory, about
3 tokens/s, so a 75-second script (about 900 tokens of JSON) takes about 5 minutes;
Qwen2.5-0.5B-Instruct (1 GB; 1.5 GB peak, 5.6 tokens/s, under 3 minutes) is the
lighter choice. (Sailor2-1B-Chat covers Javanese and Sundanese too, but its authors
present the 1B size as a research/speculative-decoding model; the 8B needs 16 GB.)

It sits behind the same Protocol as the HTTP client and shares all of its script
logic (``llm_chat.ChatScriptEngine``): the prompts, the JSON repair and one corrective
retry, the key facts, the flagged claims. Tokens are streamed into ``partial_text``
and reported as progress; a cancel stops generation at the next token.
"""

from __future__ import annotations

import importlib.util
import logging
import time
import warnings
from pathlib import Path
from typing import Any

from studio.core.errors import EngineFailed, EngineUnavailable, Problem
from studio.core.jobs import Cancelled, JobContext
from studio.engines.base import EngineInfo
from studio.engines.image.diffusion import cpu_supports_bf16
from studio.engines.llm.chat import ChatAnswer, ChatScriptEngine
from studio.engines.models.folders import (
    config_revision,
    folder_licence,
    folder_model_id,
    folder_problems,
    looks_like_hub_id,
)
from studio.engines.models.manager import resolve_choice
from studio.engines.support import memory

log = logging.getLogger(__name__)

TOOL_NAME = "LLM lokal (transformers)"
SUGGESTED = "qwen2.5-1.5b-instruct"
"""Catalogue id of the suggested model (``studio models download qwen2.5-1.5b-instruct``)."""
MAX_NEW_TOKENS = 3072


def _id_set(value: Any) -> set[int]:
    if isinstance(value, (list, tuple)):
        return {int(v) for v in value}
    return {int(value)} if value is not None else set()


def chat_inputs(tokenizer: Any, messages: list[dict[str, str]]) -> Any:
    """Token ids of ``messages`` through the model's own chat template, ready for an answer.

    Some templates (Gemma, Mistral) refuse a "system" message; then the system text
    goes in front of the first user message, which is what those models expect.
    """
    try:
        return tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                             return_dict=True)
    except Exception as exc:
        if not messages or messages[0].get("role") != "system" or "system" not in str(exc).lower():
            raise
    system, rest = messages[0]["content"], [dict(m) for m in messages[1:]]
    if rest and rest[0].get("role") == "user":
        rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
    else:
        rest.insert(0, {"role": "user", "content": system})
    return tokenizer.apply_chat_template(rest, add_generation_prompt=True, return_tensors="pt", return_dict=True)


class LocalChatScriptEngine(ChatScriptEngine):
    """Writes the script with a transformers chat model loaded from a local folder, on the CPU."""

    tool_name = TOOL_NAME
    info = EngineInfo(
        key="script.local", kind="script", name=TOOL_NAME, is_ai=True, licence="lihat kartu model",
        description_id="Menulis naskah dengan model bahasa di komputer ini (misalnya Qwen2.5-1.5B-Instruct), "
                       "tanpa internet. Sekitar 3–5 menit per naskah di CPU laptop.",
        description_en="Writes the script with a language model on this computer (for example "
                       "Qwen2.5-1.5B-Instruct), without internet. About 3–5 minutes per script on a laptop CPU.",
    )

    def __init__(self, model_dir: str | Path = "", *, threads: int = 1, dtype: str = "auto",
                 temperature: float = 0.7, seed: int = 1234, max_new_tokens: int | None = None) -> None:
        super().__init__()
        self.model_dir = resolve_choice(str(model_dir)) if str(model_dir).strip() else None
        self.threads = max(1, int(threads))
        self.dtype = dtype
        self.temperature = float(temperature)
        self.seed = int(seed)
        self.max_new_tokens = max_new_tokens
        self._model: Any = None
        self._tokenizer: Any = None
        self._dtype_name = ""
        self.last_tokens = 0
        """Tokens generated in the last answer (also after a cancel)."""

    @classmethod
    def from_settings(cls, settings: Any) -> LocalChatScriptEngine:
        from studio.engines.models.manager import default_folder

        folder = default_folder("llm_local", settings)
        return cls(folder or "", threads=settings.torch_threads, temperature=settings.llm.temperature)

    @property
    def model_label(self) -> str:
        return folder_model_id(self.model_dir) if self.model_dir else "(no model)"

    # ------------------------------------------------------------ checks

    def preflight(self) -> list[Problem]:
        """Cheap: a folder is set and looks like a whole chat model; torch and transformers are installed."""
        problems: list[Problem] = []
        if self.model_dir is None:
            problems.append(Problem(
                f"No local language model is chosen. Choose a chat model folder in Settings, or download the "
                f"suggested one with 'studio models download {SUGGESTED}' (about 3.1 GB).",
                f"Model bahasa lokal belum dipilih. Pilih folder model obrolan di Pengaturan, atau unduh model "
                f"yang disarankan dengan 'studio models download {SUGGESTED}' (sekitar 3,1 GB)."))
        elif not self.model_dir.is_dir() and looks_like_hub_id(self.model_dir.as_posix()):
            repo = self.model_dir.as_posix()
            problems.append(Problem(
                f"The language model {repo} is not on this computer. Download it once with 'studio models download "
                f"{repo} --layout chat', or copy its folder here and choose it in Settings.",
                f"Model bahasa {repo} belum ada di komputer ini. Unduh sekali dengan 'studio models download {repo} "
                "--layout chat', atau salin foldernya lalu pilih di Pengaturan."))
        else:
            problems += folder_problems("chat", self.model_dir)
        for module in ("torch", "transformers"):
            if importlib.util.find_spec(module) is None:
                problems.append(Problem(
                    f"The Python package '{module}' is not installed; reinstall Studio Lokal with its AI components.",
                    f"Paket Python '{module}' belum terpasang; pasang ulang Studio Lokal beserta komponen AI-nya."))
        return problems

    # ------------------------------------------------------------ loading

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self, ctx: JobContext | None = None) -> tuple[Any, Any]:
        """(tokenizer, model), loaded once from the folder; EngineUnavailable with a reason otherwise."""
        if self._model is not None:
            return self._tokenizer, self._model
        problems = self.preflight()
        if problems:
            raise EngineUnavailable(f"{TOOL_NAME} cannot run: " + "; ".join(problems),
                                    f"{TOOL_NAME} belum bisa dipakai: " + "; ".join(p.text("id") for p in problems),
                                    problems=list(problems))
        if ctx is not None:
            ctx.check()
            ctx.progress(0, 1, "Memuat model bahasa lokal")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        torch.set_num_threads(self.threads)
        choice = self.dtype
        if choice == "auto":
            choice = "bfloat16" if cpu_supports_bf16() else "float32"
        self._dtype_name = choice
        dtype = {"bfloat16": torch.bfloat16, "float32": torch.float32}.get(choice, torch.float32)
        started = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir), local_files_only=True)
                model = AutoModelForCausalLM.from_pretrained(str(self.model_dir), local_files_only=True, dtype=dtype)
        except MemoryError as exc:
            raise EngineFailed(
                "There is not enough memory to load the language model. Close other programs or choose a smaller "
                "model (for example Qwen2.5-0.5B-Instruct).",
                "Memori tidak cukup untuk memuat model bahasa. Tutup program lain atau pilih model yang lebih "
                "kecil (misalnya Qwen2.5-0.5B-Instruct).", details=repr(exc)) from exc
        except Exception as exc:
            raise EngineUnavailable(
                f"The language model in {self.model_dir} cannot be loaded: it may be incomplete or of a kind this "
                "version does not support. Copy the whole folder again, or choose another model in Settings.",
                f"Model bahasa di {self.model_dir} tidak bisa dimuat: mungkin tidak lengkap atau jenisnya belum "
                "didukung. Salin ulang seluruh foldernya, atau pilih model lain di Pengaturan.",
                problems=[str(exc)[:300]], details=repr(exc)) from exc
        model.eval()
        log.info("loaded %s (%s) in %.1f s", self.model_dir, choice, time.perf_counter() - started)
        self._tokenizer, self._model = tokenizer, model
        return tokenizer, model

    def unload(self) -> None:
        """Free the model (a few GB for a real one)."""
        self._model = None
        self._tokenizer = None
        memory.release()  # gc, and give the freed pages back to the OS

    # ------------------------------------------------------------ work

    def _complete(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        tokenizer, model = self.load(ctx)
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList
        from transformers.generation.streamers import BaseStreamer

        torch.set_num_threads(self.threads)
        inputs = chat_inputs(tokenizer, messages)
        prompt_len = int(inputs["input_ids"].shape[-1])
        limit = self.max_new_tokens or min(MAX_NEW_TOKENS, max(512, self._expected_chars // 2))
        engine = self
        state = {"tokens": 0, "ids": [], "text": "", "last": 0.0, "prompt_seen": False}

        class Stream(BaseStreamer):
            """Decodes new tokens as they come, into ``partial_text`` and progress."""

            def put(self, value: Any) -> None:
                if not state["prompt_seen"]:
                    state["prompt_seen"] = True  # generate() first hands over the prompt itself
                    return
                state["ids"].extend(int(v) for v in value.reshape(-1).tolist())
                state["tokens"] = len(state["ids"])
                text = tokenizer.decode(state["ids"], skip_special_tokens=True)
                # Hold back an incomplete UTF-8 character until its next byte arrives.
                stable = text.removesuffix("\ufffd")
                if len(stable) > len(state["text"]) and stable.startswith(state["text"]):
                    engine._add_partial(stable[len(state["text"]):])
                    state["text"] = stable
                now = time.monotonic()
                if now - state["last"] > 0.1:
                    state["last"] = now
                    engine._report_stream(ctx, tokens=state["tokens"])

            def end(self) -> None:
                engine._report_stream(ctx, tokens=state["tokens"])

        class StopOnCancel(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
                return torch.full((input_ids.shape[0],), ctx.cancelled, dtype=torch.bool)

        kwargs: dict[str, Any] = {"max_new_tokens": limit, "streamer": Stream(),
                                  "stopping_criteria": StoppingCriteriaList([StopOnCancel()])}
        if tokenizer.pad_token_id is None and tokenizer.eos_token_id is not None:
            kwargs["pad_token_id"] = tokenizer.eos_token_id
        if self.temperature > 0:
            kwargs.update(do_sample=True, temperature=self.temperature)
        else:
            kwargs.update(do_sample=False)
        torch.manual_seed(self.seed)
        try:
            with torch.inference_mode(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                output = model.generate(**inputs, **kwargs)
        except MemoryError as exc:
            raise EngineFailed(
                "There is not enough memory to write with the language model. Close other programs or choose a "
                "smaller model.",
                "Memori tidak cukup untuk menulis dengan model bahasa. Tutup program lain atau pilih model yang "
                "lebih kecil.", details=repr(exc)) from exc
        except (RuntimeError, ValueError, TypeError, IndexError) as exc:
            raise EngineFailed(
                f"The language model failed while writing ({exc.__class__.__name__}). Try again; if it keeps "
                "failing, the model folder may be damaged ('studio models verify').",
                "Model bahasa gagal saat menulis. Coba lagi; bila terus gagal, folder model mungkin rusak.",
                details=repr(exc)) from exc
        finally:
            self.last_tokens = state["tokens"]
        if ctx.cancelled:
            raise Cancelled(ctx.step)
        new = output[0][prompt_len:].tolist()
        text = tokenizer.decode(new, skip_special_tokens=True)
        if len(text) > len(state["text"]) and text.startswith(state["text"]):
            self._add_partial(text[len(state["text"]):])
        eos_ids = _id_set(tokenizer.eos_token_id) | _id_set(getattr(model.generation_config, "eos_token_id", None))
        finish = "stop" if (new and new[-1] in eos_ids) or len(new) < limit else "length"
        return ChatAnswer(text=text, model=self.model_label, finish_reason=finish, streamed=True,
                          tokens=len(new))

    # ------------------------------------------------------------ provenance

    def _provenance_params(self, answer: ChatAnswer) -> dict[str, Any]:
        return {"temperature": self.temperature, "dtype": self._dtype_name, "threads": self.threads,
                "tokens": answer.tokens, "folder": self.model_dir.name if self.model_dir else ""}

    def _provenance_revision(self) -> str:
        if self.model_dir is None:
            return ""
        return config_revision(self.model_dir, ("config.json", "generation_config.json", "tokenizer_config.json"))

    def _provenance_seed(self) -> int | None:
        return self.seed

    def _provenance_licence(self) -> str:
        return folder_licence(self.model_dir) if self.model_dir else self.info.licence
