"""Parse, repair and validate the scene JSON a language model answers.

Models rarely answer exactly what was asked: they wrap JSON in code fences, think
aloud in ``<think>`` blocks first, leave trailing commas, get cut off by a token
limit, answer a bare list, or call ``narration`` "text" or "narasi". This module
turns such answers into ``DraftScene`` objects or raises ``ScriptJsonError`` with a
short English reason that the client can send back to the model in a corrective
message. It owns no I/O and no network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from studio.core.errors import EngineFailed
from studio.core.timeline import count_words
from studio.engines.base import DraftScene

MIN_SCENES = 3
MAX_SCENES = 15
KEEP_SCENES = 10


def scenes_schema(min_scenes: int = MIN_SCENES, max_scenes: int = MAX_SCENES) -> dict[str, Any]:
    """The JSON Schema of an answer: ``{"scenes": [{narration, image_prompt, on_screen_text, needs_review}]}``.

    Sent to servers that constrain their output to a schema (llama.cpp, Ollama, LM
    Studio, OpenAI, Gemini); whatever comes back is still repaired and validated here,
    because not every server enforces it.
    """
    scene = {
        "type": "object",
        "properties": {
            "narration": {"type": "string", "minLength": 1},
            "image_prompt": {"type": "string"},
            "on_screen_text": {"type": "string"},
            "needs_review": {"type": "array", "items": {"type": "string"}},
            "subtitle": {"type": "string"},
        },
        "required": ["narration", "image_prompt", "on_screen_text", "needs_review"],
        "additionalProperties": False,
    }
    return {"type": "object",
            "properties": {"scenes": {"type": "array", "items": scene, "minItems": min_scenes,
                                      "maxItems": max_scenes}},
            "required": ["scenes"], "additionalProperties": False}


class ScriptJsonError(EngineFailed):
    """The answer cannot be turned into scenes; ``str(err)`` is a reason for the model (in English,
    since it goes back to the model in the repair prompt)."""


# Field names models use instead of ours (lower-cased, spaces/dashes as underscores).
SUBTITLE_KEYS = ("subtitle", "subtitles", "translation", "terjemahan", "indonesian", "bahasa_indonesia",
                 "subtitle_text")
"""Where a bilingual answer puts the narration's rendering in the subtitle language."""
NARRATION_KEYS = ("narration", "narasi", "text", "teks", "voiceover", "voice_over", "script",
                  "naskah", "narration_text", "dialog", "dialogue", "line", "content", "sentence")
IMAGE_KEYS = ("image_prompt", "imageprompt", "prompt", "image", "visual", "visual_prompt",
              "image_description", "gambar", "prompt_gambar", "deskripsi_gambar", "scene_description",
              "picture")
ONSCREEN_KEYS = ("on_screen_text", "onscreen_text", "on_screen", "onscreen", "text_on_screen",
                 "caption", "title", "judul", "teks_layar", "overlay", "overlay_text", "headline",
                 "subtitle_title")
REVIEW_KEYS = ("needs_review", "review", "needsreview", "perlu_dicek", "perlu_diperiksa",
               "unverified", "to_verify", "needs_check", "check")
SCENE_LIST_KEYS = ("scenes", "adegan", "scene", "script", "naskah", "storyboard", "shots", "items")

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.DOTALL | re.IGNORECASE)
_UNCLOSED_THINK = re.compile(r"^\s*<(think|thinking|reasoning)>.*", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.DOTALL)
_OUTER_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*[ \t]*\n(.*)\n[ \t]*```$", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_SMART_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"'})


def strip_noise(text: str) -> str:
    """Remove reasoning blocks and code fences around the JSON."""
    text = _THINK.sub("", text)
    if _UNCLOSED_THINK.match(text) and "{" not in text.split(">", 1)[-1]:
        return ""
    # A model that opens <think> and never closes it still often ends with the JSON.
    text = re.sub(r"^\s*<(think|thinking|reasoning)>", "", text, flags=re.IGNORECASE)
    fenced = _FENCE.findall(text)
    for block in fenced:
        if "{" in block or "[" in block:
            return block.strip()
    if text.count("```") == 1:  # an opening fence cut off by the token limit
        text = re.sub(r"```[a-zA-Z0-9_-]*", "", text)
    return text.strip()


def _scan(text: str, start: int) -> tuple[int | None, list[int], list[str]]:
    """Walk a JSON value from ``start``.

    Returns (end index if the value closed, positions just after each nested value
    closed while the outer value was still open, the bracket stack at the end).
    """
    stack: list[str] = []
    closes: list[int] = []
    in_string = False
    escape = False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack:
                return i, closes, stack
            stack.pop()
            if not stack:
                return i + 1, closes, stack
            closes.append(i + 1)
    return None, closes, stack


def _close_truncated(text: str, start: int) -> str | None:
    """Best effort for an answer cut off mid-way: keep complete items, close the brackets."""
    _end, closes, _stack = _scan(text, start)
    for cut in reversed(closes):
        head = text[start:cut].rstrip()
        head = head.rstrip(",").rstrip()
        _e, _c, stack = _scan(head + " ", 0)
        if _e is not None:
            candidate = head
        else:
            candidate = head + "".join(reversed(stack))
        candidate = _TRAILING_COMMA.sub(r"\1", candidate)
        try:
            json.loads(candidate)
        except ValueError:
            continue
        return candidate
    return None


def _loads_lenient(candidate: str) -> Any:
    try:
        return json.loads(candidate)
    except ValueError:
        pass
    fixed = _TRAILING_COMMA.sub(r"\1", candidate.translate(_SMART_QUOTES))
    return json.loads(fixed)


def extract_json(text: str) -> Any:
    """The first JSON object or array in ``text``, repaired if needed.

    Raises:
        ScriptJsonError: No JSON value could be recovered.
    """
    whole = _THINK.sub("", text or "").strip()
    outer = _OUTER_FENCE.match(whole)
    candidates = [whole, outer.group(1).strip() if outer else ""]
    first = next((i for i, ch in enumerate(whole) if ch in "{["), None)
    if first is not None:
        end, _closes, _stack = _scan(whole, first)
        candidates.append(whole[first:end] if end is not None else "")
    for candidate in candidates:
        # Valid JSON as answered (the whole answer, one fenced block, or the first complete
        # value in prose) is taken as is, so a fence inside a string value cannot mislead
        # the repairs below.
        if candidate[:1] in ("{", "["):
            try:
                return json.loads(candidate)
            except (ValueError, RecursionError):
                pass
    cleaned = strip_noise(text or "")
    if not cleaned:
        raise ScriptJsonError("The answer was empty; it must be one JSON object.")
    starts = [i for i, ch in enumerate(cleaned) if ch in "{["]
    if not starts:
        raise ScriptJsonError("The answer contained no JSON object.")
    last_error = "The answer was not valid JSON."
    for start in starts[:20]:
        end, _closes, _stack = _scan(cleaned, start)
        if end is not None:
            try:
                return _loads_lenient(cleaned[start:end])
            except ValueError as exc:
                last_error = f"The JSON was malformed ({exc})."
                continue
            except RecursionError:  # "[[[[…" thousands deep: json recurses per level
                last_error = "The JSON was nested too deeply."
                continue
        repaired = _close_truncated(cleaned, start)
        if repaired is not None:
            try:
                return json.loads(repaired)
            except (ValueError, RecursionError):
                last_error = "The JSON was cut off and could not be repaired."
                continue
        last_error = "The JSON was cut off before it was complete."
    raise ScriptJsonError(last_error)


def _norm_key(key: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


def _pick(item: Mapping[str, Any], names: Iterable[str]) -> Any:
    normalised = {_norm_key(k): v for k, v in item.items()}
    for name in names:
        if name in normalised and normalised[name] not in (None, ""):
            return normalised[name]
    return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_as_text(v) for v in value).strip()
    if isinstance(value, dict):
        inner = _pick(value, NARRATION_KEYS)
        return _as_text(inner) if inner is not None else ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None or value == "" or value is False:
        return ()
    if isinstance(value, str):
        parts = [p.strip(" -•\t") for p in re.split(r"[\n;]+", value)]
        return tuple(p for p in parts if p and p.lower() not in ("none", "tidak ada", "-", "n/a"))
    if isinstance(value, (list, tuple)):
        return tuple(t for t in (_as_text(v) for v in value) if t)
    return (_as_text(value),)


def _scene_list(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for name in SCENE_LIST_KEYS:
            value = _pick(data, (name,))
            if isinstance(value, list):
                return value
            if isinstance(value, dict):
                nested = _pick(value, SCENE_LIST_KEYS)
                if isinstance(nested, list):
                    return nested
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1:
            return lists[0]
        if _pick(data, NARRATION_KEYS) is not None:
            return [data]  # one scene answered without the wrapper
    raise ScriptJsonError('The JSON had no "scenes" list.')


def coerce_scenes(data: Any) -> list[DraftScene]:
    """Map whatever shape the model chose onto ``DraftScene`` (field names coerced)."""
    scenes: list[DraftScene] = []
    for item in _scene_list(data):
        if isinstance(item, str):
            scenes.append(DraftScene(narration=_as_text(item), image_prompt=""))
            continue
        if not isinstance(item, dict):
            continue
        scenes.append(DraftScene(
            narration=_as_text(_pick(item, NARRATION_KEYS)),
            image_prompt=_as_text(_pick(item, IMAGE_KEYS)),
            on_screen_text=_as_text(_pick(item, ONSCREEN_KEYS)),
            needs_review=_as_list(_pick(item, REVIEW_KEYS)),
            subtitle=_as_text(_pick(item, SUBTITLE_KEYS)),
        ))
    return scenes


def validate_scenes(scenes: list[DraftScene], *, min_scenes: int = MIN_SCENES,
                    max_scenes: int = MAX_SCENES, keep: int = KEEP_SCENES) -> list[DraftScene]:
    """Refuse too few/many scenes or empty narration; keep at most ``keep`` scenes."""
    if len(scenes) < min_scenes:
        raise ScriptJsonError(f"The answer had {len(scenes)} scene(s); at least {min_scenes} are needed.")
    if len(scenes) > max_scenes:
        raise ScriptJsonError(f"The answer had {len(scenes)} scenes; at most {max_scenes} are allowed.")
    empty = [i + 1 for i, s in enumerate(scenes) if not s.narration.strip()]
    if empty:
        raise ScriptJsonError(f"Scene(s) {', '.join(map(str, empty))} had no narration.")
    return scenes[:keep]


def parse_scenes(text: str, *, min_scenes: int = MIN_SCENES, max_scenes: int = MAX_SCENES,
                 keep: int = KEEP_SCENES) -> list[DraftScene]:
    """Answer text → validated scenes. Raises ScriptJsonError with a reason."""
    data = extract_json(text)
    try:
        scenes = coerce_scenes(data)
    except RecursionError:  # a field holding lists in lists hundreds deep
        raise ScriptJsonError("The JSON was nested too deeply.") from None
    return validate_scenes(scenes, min_scenes=min_scenes, max_scenes=max_scenes, keep=keep)


# ------------------------------------------------------------------ key facts

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def _norm_words(text: str) -> list[str]:
    return _PUNCT.sub(" ", text.casefold()).split()


def fact_sentence(fact: str) -> str:
    """A key fact as a standalone sentence: first letter capital, final stop added."""
    fact = re.sub(r"\s+", " ", fact).strip()
    if not fact:
        return ""
    fact = fact[0].upper() + fact[1:]
    if fact[-1] not in ".!?…\"'”":
        fact += "."
    return fact


def fact_present(fact: str, text: str, *, tolerance: float = 0.1) -> bool:
    """True if ``fact`` appears in ``text`` verbatim or nearly.

    Case and punctuation are ignored; "nearly" allows about one word in ten to
    differ (a suffix, a conjunction), as long as the rest appears in order and
    every number in the fact appears unchanged.
    """
    want = _norm_words(fact)
    have = _norm_words(text)
    if not want:
        return True
    if " ".join(want) in " ".join(have):
        return True
    numbers = [w for w in want if any(ch.isdigit() for ch in w)]
    if any(n not in have for n in numbers):
        return False
    allowed = int(len(want) * tolerance)
    if allowed == 0:
        return False
    # Longest in-order match of the fact's words inside any window of the text.
    best = 0
    window = len(want) + allowed * 2
    for start in range(0, max(1, len(have) - len(want) + allowed + 1)):
        segment = have[start:start + window]
        best = max(best, _lcs(want, segment))
        if best >= len(want) - allowed:
            return True
    return False


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def missing_facts(facts: Iterable[str], narrations: Iterable[str]) -> list[str]:
    """The key facts that no narration contains (verbatim or nearly)."""
    whole = " ".join(narrations)
    return [f for f in facts if f.strip() and not fact_present(f, whole)]


def ensure_facts(scenes: list[DraftScene], facts: Sequence[str]) -> tuple[list[DraftScene], list[str]]:
    """Insert any key fact the model left out into the scene that shares most words with it."""
    missing = missing_facts(facts, [s.narration for s in scenes])
    if not missing:
        return scenes, []
    scenes = list(scenes)
    for fact in missing:
        words = set(re.findall(r"\w+", fact.casefold()))
        middle = range(1, len(scenes) - 1) if len(scenes) > 2 else range(len(scenes))

        def overlap(i: int) -> tuple[int, int]:
            mine = set(re.findall(r"\w+", scenes[i].narration.casefold()))
            return (len(words & mine), -count_words(scenes[i].narration))

        best = max(middle, key=overlap)
        s = scenes[best]
        scenes[best] = DraftScene(narration=f"{s.narration.rstrip()} {fact_sentence(fact)}".strip(),
                                  image_prompt=s.image_prompt, on_screen_text=s.on_screen_text,
                                  needs_review=s.needs_review)
    return scenes, missing
