"""What every chat-model script engine shares: ask, repair or retry, keep the facts, flag new claims.

A chat backend (the OpenAI-compatible HTTP client, a local transformers model) only
has to turn a list of chat messages into a ``ChatAnswer`` (``_complete``). This base
class does the rest the same way for all of them: the prompts (``llm_prompts``), one
corrective retry when the answer is not usable JSON (bounded: two answers at most,
then a clear ``EngineFailed``), refusals reported as refusals, the creator's key facts
put back if the model left one out, and claims the model added without listing them
(numbers, names) flagged in ``needs_review`` for the creator to verify.

The text streamed so far is kept in ``partial_text`` so a window can show it while
the model is still writing; progress messages carry the running character count.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from studio.core.errors import EngineFailed, UsageError
from studio.core.jobs import JobContext
from studio.core.presets import Theme
from studio.core.timeline import estimate_speech_seconds
from studio.engines.base import (
    DraftScene,
    EngineBase,
    EngineInfo,
    Provenance,
    ScriptRequest,
    ScriptResult,
)
from studio.engines.llm.prompts import SYSTEM_PROMPT, build_prompt, build_scene_prompt
from studio.engines.llm.scene_json import (
    ScriptJsonError,
    ensure_facts,
    fact_present,
    parse_scenes,
    strip_noise,
)

log = logging.getLogger(__name__)

MAX_ANSWERS = 2
"""A first answer and one corrective retry; more rarely helps a model that failed twice."""

_REFUSAL = re.compile(
    r"\b(I can(?:no|')t (?:help|assist|comply|do that|write)|I(?: am|'m) (?:not able|unable) to|"
    r"I won't|I will not|cannot (?:help|assist|comply) with|against (?:my|the) (?:guidelines|policy)|"
    r"maaf,? saya tidak (?:bisa|dapat)|saya tidak dapat membantu|tidak dapat memenuhi permintaan)",
    re.IGNORECASE)


@dataclass(frozen=True)
class ChatAnswer:
    """One chat answer, reduced to what the script step needs."""

    text: str
    model: str = ""
    finish_reason: str = ""
    refusal: str = ""
    streamed: bool = False
    tokens: int = 0
    """Generated tokens when the backend counts them (0 when unknown)."""


def looks_refused(text: str) -> bool:
    cleaned = strip_noise(text)
    return "{" not in cleaned and bool(_REFUSAL.search(cleaned))


def raise_if_refused(answer: ChatAnswer) -> None:
    if answer.refusal or answer.finish_reason == "content_filter":
        said = (answer.refusal or answer.text or "").strip()[:200]
        quote = f' ("{said}")' if said else ""
        raise EngineFailed(
            f"The language model declined to write this script{quote}. Rephrase the brief (for example "
            "remove wording that may look sensitive) or choose another model in Settings.",
            f"Model bahasa menolak menulis naskah ini{quote}. Ubah kalimat brief (misalnya hapus kata yang "
            "mungkin dianggap sensitif) atau pilih model lain di Pengaturan.", details=answer.text[:2000])


# ------------------------------------------------------------------ claims the model added

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|[\"“(]\s*)$")
# Capitalised words that are not claims: pronouns of address, the country, God.
_COMMON_CAPITALS = {
    "anda", "indonesia", "nusantara", "tuhan", "allah", "sang", "pencipta", "yang", "maha", "esa",
    "kita", "mari", "ibu", "bapak", "kak", "kamu", "aku", "saya",
}


def _source_words(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    words: set[str] = set()
    numbers: set[str] = set()
    for text in texts:
        if not text:
            continue
        words.update(w.casefold() for w in _WORD.findall(text))
        numbers.update(_NUMBER.findall(text))
    return words, numbers


def request_sources(request: ScriptRequest) -> list[str]:
    """Texts whose facts the creator supplied or a theme preset vouches for."""
    texts = [request.title, request.region, request.theme, request.audience, request.creator, request.agency,
             request.notes, *request.key_facts]
    theme = request.theme_preset if isinstance(request.theme_preset, Theme) else None
    if theme is not None:
        texts += [theme.name, theme.name_en, theme.summary, theme.guidance, theme.region_hint,
                  *theme.part_guidance.values(), *theme.ask_creator,
                  *(s for lines in theme.sentences.values() for s in lines)]
    return texts


def added_claims(narration: str, sources: Sequence[str]) -> list[str]:
    """Numbers and proper names in ``narration`` that none of ``sources`` contains.

    Deliberately simple and cautious: a capitalised word that does not start a sentence
    is taken for a name, a run of digits for a number. False alarms cost the creator a
    glance; a missed invented date could cost the entry.
    """
    words, numbers = _source_words(sources)
    found: list[str] = []
    for number in _NUMBER.findall(narration):
        if number not in numbers and number not in found:
            found.append(number)
    runs: list[list[str]] = []
    current: list[str] = []
    last_end = 0
    for match in _WORD.finditer(narration):
        word = match.group(0)
        starts = bool(_SENTENCE_START.search(narration[:match.start()]))
        is_name = (word[0].isupper() and not starts and word.casefold() not in words
                   and word.casefold() not in _COMMON_CAPITALS)
        if not is_name:
            if current:
                runs.append(current)
            current = []
            continue
        # "Ki Hajar Dewantara" is one name: consecutive capitalised words separated by a space.
        if current and narration[last_end:match.start()] == " ":
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = [word]
        last_end = match.end()
    if current:
        runs.append(current)
    for name in (" ".join(r) for r in runs):
        if name not in found:
            found.append(name)
    return found


def flag_added_claims(scenes: Sequence[DraftScene], sources: Sequence[str]) -> tuple[list[DraftScene], int]:
    """Add to each scene's ``needs_review`` what the model added but did not list itself."""
    out: list[DraftScene] = []
    flagged = 0
    for scene in scenes:
        listed = " ".join(scene.needs_review).casefold()
        extra = [c for c in added_claims(scene.narration, sources) if c.casefold() not in listed]
        if extra:
            flagged += len(extra)
            notes = tuple(scene.needs_review) + tuple(f"Periksa: {c} (tidak ada di brief)" for c in extra)
            scene = replace(scene, needs_review=notes)
        out.append(scene)
    return out, flagged


# ------------------------------------------------------------------ the shared engine


class ChatScriptEngine(EngineBase):
    """Base of the chat-model script engines; subclasses implement ``_complete``."""

    info: EngineInfo
    tool_name = "LLM"

    def __init__(self) -> None:
        self._partial = ""
        self._partial_lock = threading.Lock()
        self._expected_chars = 2000
        self._reported = -1
        self._scene_range = (3, 15)
        """Scenes the current request accepts (for backends that constrain output to a schema)."""

    # ------------------------------------------------------------ for subclasses

    @property
    def model_label(self) -> str:
        """The model's name for messages and the AI log."""
        raise NotImplementedError

    def _complete(self, messages: list[dict[str, str]], ctx: JobContext) -> ChatAnswer:
        """One answer to ``messages`` (retries for transport errors are the backend's own)."""
        raise NotImplementedError

    def _provenance_params(self, answer: ChatAnswer) -> dict[str, Any]:
        return {}

    def _provenance_model(self, answer: ChatAnswer) -> str:
        return self.model_label

    def _provenance_revision(self) -> str:
        return ""

    def _provenance_seed(self) -> int | None:
        return None

    def _provenance_licence(self) -> str:
        return self.info.licence

    # ------------------------------------------------------------ streamed text

    @property
    def partial_text(self) -> str:
        """What the model has written so far in the current answer (safe from any thread)."""
        with self._partial_lock:
            return self._partial

    @property
    def expected_chars(self) -> int:
        """How long the current answer is expected to be (from the word budget), for an ETA."""
        return self._expected_chars

    def _reset_partial(self) -> None:
        with self._partial_lock:
            self._partial = ""

    def _add_partial(self, text: str) -> int:
        with self._partial_lock:
            self._partial += text
            return len(self._partial)

    def _report_stream(self, ctx: JobContext, tokens: int | None = None) -> None:
        """Progress while the answer streams in: the character (and token) count so far.

        The fraction is a guess from the expected answer length (the word budget), kept
        below 1 until the answer is complete.
        """
        chars = len(self.partial_text)
        if chars == self._reported:
            return
        self._reported = chars
        count = f"{chars:,}".replace(",", ".")
        message = f"Model menulis naskah: {count} karakter"
        if tokens is not None:
            message += f", {tokens} token"
        ctx.progress(min(0.95, chars / max(1, self._expected_chars)), 1, message)

    # ------------------------------------------------------------ work

    def write(self, request: ScriptRequest, ctx: JobContext) -> ScriptResult:
        """Ask the model for the whole script; repaired, validated and fact-checked."""
        ctx.check()
        ctx.progress(0, 1, "Meminta naskah dari model bahasa")
        prompt = build_prompt(request)
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}]
        return self._write(request, prompt, messages, ctx)

    def fit_length(self, request: ScriptRequest, result: ScriptResult, ctx: JobContext) -> ScriptResult:
        """Ask once more, naming the seconds, when ``result`` reads outside the request's range.

        The model sees its own answer and how long it reads at the voice's measured pace,
        and is asked to extend or trim it to the target. The new answer goes through the
        same repair, fact and claim checks; the caller decides which of the two to keep.
        """
        wpm = request.words_per_minute
        words = sum(len(s.narration.split()) for s in result.scenes)
        total = sum(estimate_speech_seconds(s.narration, wpm) for s in result.scenes)
        verb = "Extend" if total < request.min_seconds else "Shorten"
        ask = (f"Your script reads about {total:.0f} seconds at {wpm:.0f} words per minute ({words} words of "
               f"narration), but the narration must read between {request.min_seconds:.0f} and "
               f"{request.max_seconds:.0f} seconds. {verb} it to about {request.target_seconds:.0f} seconds, "
               f"about {request.word_budget} words of narration in total, keeping the key facts and the "
               'scenes\' order. Answer again with ONLY the JSON object in the format {"scenes": [...]}, nothing else.')
        prompt = build_prompt(request)
        raw = result.raw if isinstance(result.raw, str) else ""
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt},
                    {"role": "assistant", "content": raw[:6000]}, {"role": "user", "content": ask}]
        ctx.check()
        ctx.progress(0, 1, f"Naskah terbaca ±{total:.0f} detik (batas {request.min_seconds:.0f}–"
                           f"{request.max_seconds:.0f}); meminta model menyesuaikan panjangnya")
        return self._write(request, prompt, messages, ctx, length_retry=ask)

    def _write(self, request: ScriptRequest, prompt: str, messages: list[dict[str, str]], ctx: JobContext, *,
               length_retry: str = "") -> ScriptResult:
        started = time.perf_counter()
        # JSON with English image prompts is about 2.5 times the narration's characters.
        self._expected_chars = max(400, request.word_budget * 7 * 5 // 2)
        scenes, answer, attempts = self._ask_scenes(messages, ctx, min_scenes=3, max_scenes=15, keep=10)
        scenes, inserted = ensure_facts(scenes, request.key_facts)
        scenes, flagged = flag_added_claims(scenes, request_sources(request))
        ctx.progress(1, 1, "Naskah diterima")
        total = sum(estimate_speech_seconds(s.narration, request.words_per_minute) for s in scenes)
        provenance = self._provenance(request, prompt, answer, attempts, started, total, inserted, flagged)
        if length_retry:
            provenance = replace(provenance, params={**provenance.params, "length_request": length_retry})
        return ScriptResult(tuple(scenes), provenance, raw=answer.text)

    def rewrite_scene(self, request: ScriptRequest, scenes: Sequence[DraftScene], index: int,
                      ctx: JobContext, *, variant: int = 1) -> ScriptResult:
        """One new scene for position ``index``, written to fit between its neighbours.

        ``request.word_budget`` is the length to aim for (the old scene's).
        """
        if not 0 <= index < len(scenes):
            raise UsageError(f"There is no scene number {index + 1} to rewrite.",
                             f"Tidak ada adegan nomor {index + 1} untuk ditulis ulang.")
        started = time.perf_counter()
        ctx.check()
        prompt = build_scene_prompt(request, scenes, index, variant)
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}]
        self._expected_chars = max(200, request.word_budget * 7 * 5 // 2)
        got, answer, attempts = self._ask_scenes(messages, ctx, min_scenes=1, max_scenes=3, keep=1)
        keep = [f for f in request.key_facts if f.strip() and fact_present(f, scenes[index].narration)]
        got, inserted = ensure_facts(got, tuple(keep))
        # The other scenes were checked by the creator; what they say is not new here.
        sources = request_sources(request) + [s.narration for i, s in enumerate(scenes) if i != index]
        got, flagged = flag_added_claims(got, sources)
        total = estimate_speech_seconds(got[0].narration, request.words_per_minute)
        return ScriptResult(tuple(got), self._provenance(request, prompt, answer, attempts, started, total,
                                                         inserted, flagged), raw=answer.text)

    def _ask_scenes(self, messages: list[dict[str, str]], ctx: JobContext, *, min_scenes: int,
                    max_scenes: int, keep: int) -> tuple[list[DraftScene], ChatAnswer, int]:
        """Chat until the answer parses (one corrective retry), or raise EngineFailed."""
        self._scene_range = (min_scenes, max_scenes)
        answer = ChatAnswer("")
        for attempt in range(MAX_ANSWERS):
            self._reset_partial()
            self._reported = -1
            answer = self._complete(messages, ctx)
            raise_if_refused(answer)
            try:
                return parse_scenes(answer.text, min_scenes=min_scenes, max_scenes=max_scenes,
                                    keep=keep), answer, attempt + 1
            except ScriptJsonError as exc:
                if looks_refused(answer.text):
                    raise_if_refused(ChatAnswer(answer.text, refusal=answer.text))
                reason = str(exc)
                if answer.finish_reason == "length":
                    reason += " The answer was cut off by the length limit: write shorter."
                log.info("LLM answer unusable (attempt %d): %s", attempt + 1, reason)
                if attempt + 1 < MAX_ANSWERS:
                    messages = messages + [
                        {"role": "assistant", "content": answer.text[:6000]},
                        {"role": "user", "content": f"{reason} Answer again with ONLY the JSON object in the "
                                                    'format {"scenes": [...]}, nothing else.'},
                    ]
                    ctx.check()
                    ctx.progress(0, 1, "Jawaban model belum berupa naskah yang sah; meminta ulang")
                    continue
                raise EngineFailed(
                    f"The language model {self.model_label} did not give a usable script twice ({reason}). Try "
                    "again, or choose a larger or instruction-tuned model in Settings.",
                    f"Model bahasa {self.model_label} dua kali tidak memberi naskah yang bisa dipakai. Coba lagi, "
                    "atau pilih model yang lebih besar atau model instruksi di Pengaturan.",
                    details=answer.text[:2000]) from exc
        raise AssertionError("unreachable")

    # ------------------------------------------------------------ provenance

    def _provenance(self, request: ScriptRequest, prompt: str, answer: ChatAnswer, attempts: int,
                    started: float, total: float, inserted: list[str], flagged: int) -> Provenance:
        notes = []
        if inserted:
            notes.append("Fakta kunci yang tidak disebut model disisipkan oleh Studio Lokal: " + "; ".join(inserted))
        if flagged:
            notes.append(f"{flagged} angka/nama baru dari model ditandai untuk diperiksa kreator.")
        theme = request.theme_preset.id if isinstance(request.theme_preset, Theme) else request.theme
        params = {**self._provenance_params(answer), "attempts": attempts, "finish_reason": answer.finish_reason,
                  "streamed": answer.streamed, "words_per_minute": round(float(request.words_per_minute), 1),
                  "word_budget": request.word_budget, "theme": theme,
                  "estimated_speech_seconds": round(total, 1), "flagged_claims": flagged}
        return Provenance(
            engine=self.info.key, tool=self.tool_name, is_ai=True, model=self._provenance_model(answer),
            model_revision=self._provenance_revision(), licence=self._provenance_licence(), prompt=prompt,
            params=params, seed=self._provenance_seed(), seconds=time.perf_counter() - started, note=" ".join(notes))
