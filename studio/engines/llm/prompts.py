"""What the script step asks a chat model: the system prompt and the user prompts.

Kept apart from the HTTP client (``llm_openai``) so the wording can be read, reviewed
and improved on its own, and reused by any other chat backend (a local transformers
model later). The instructions are in English, which small local models follow most
reliably; the brief itself stays in the creator's words and the narration is asked
for in the brief's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from studio.core.presets import Theme
from studio.engines.base import DraftScene, ScriptRequest
from studio.engines.llm.scene_json import fact_present

PART_ROLES = {
    "hook": "one striking line or question that makes the viewer stay",
    "context": "what it is, where, and who keeps it alive",
    "meaning": "the values and meaning behind it",
    "today": "why it still matters today and how it lives on",
    "closing": "a warm invitation to know, respect and preserve it",
}
"""What each structure part is for, whatever the theme (the theme's own words come after)."""

SYSTEM_PROMPT = (
    "You are a scriptwriter for Indonesian government public-service videos about local culture "
    "(kearifan lokal). You write warm, clear and respectful narration that a narrator reads aloud: "
    "formal but friendly, short spoken sentences, no slang, no exaggeration, no clichés about "
    "'exotic' traditions. You never invent names of people, dates, numbers, statistics or quotes. "
    "Every fact you add that is not in the brief goes into that scene's \"needs_review\" list so the "
    "creator can verify it. You treat beliefs, ceremonies and sacred objects with respect: no mockery, "
    "no sensationalism, and no claim that a belief is scientifically proven or false. "
    "You answer ONLY with one JSON object, with no text before or after it."
)


def build_prompt(request: ScriptRequest) -> str:
    """The user prompt for a whole script."""
    theme: Theme | None = request.theme_preset if isinstance(request.theme_preset, Theme) else None
    n_aim = max(request.min_scenes, min(request.max_scenes, round(request.word_budget / 20)))
    per_scene = max(8, round(request.word_budget / max(1, n_aim)))
    max_words = int(request.max_seconds * request.words_per_minute / 60.0)
    lines = ["Write the narration script for a vertical public-service video about local culture.", "",
             "Brief:"]
    lines += brief_lines(request, theme)
    if request.key_facts:
        lines += ["", "Key facts from the creator (each MUST appear in the narration, word for word or nearly):"]
        lines += [f"{i}. {f.strip()}" for i, f in enumerate(request.key_facts, 1) if f.strip()]
    lines += [""] + structure_lines(theme)
    if theme is not None:
        if theme.guidance:
            lines.append(f"Theme guidance (Indonesian): {theme.guidance.strip()}")
        if theme.respect:
            lines.append(f"Respect (Indonesian): {theme.respect.strip()}")
        if theme.ask_creator:
            lines += ["", "Questions the creator was asked about this theme. Answer them ONLY with what the brief and "
                          "key facts say; where they are silent, stay general and do not make up an answer:"]
            lines += [f"- {q.strip()}" for q in theme.ask_creator if q.strip()]
    lines += ["", "Do not invent names of people or places, dates, numbers, statistics or quotes. Any claim that is "
                  "not in the brief, the key facts or the theme guidance must be listed in that scene's "
                  '"needs_review".']
    lines += [
        "",
        f"Length: between {request.min_scenes} and {request.max_scenes} scenes (aim for {n_aim}); about "
        f"{request.word_budget} words of narration in total, about {per_scene} words per scene. That is "
        f"{request.target_seconds:.0f} seconds read at {request.words_per_minute:.0f} words per minute; "
        f"never more than {max_words} words in total.",
        "",
        "Each scene has:",
        f'- "narration": what the narrator says, in {language_name(request.language)}, 1 to 3 short spoken sentences.',
        '- "image_prompt": one English sentence describing a still image for an image model: subject, '
        "setting, light, style. No text or letters in the image. No real or identifiable people (show hands, "
        "silhouettes, people from behind or far away). Sacred objects shown respectfully.",
        '- "on_screen_text": 2 to 5 words in Bahasa Indonesia shown on screen.',
        '- "needs_review": every claim in this scene that is NOT in the brief (names, dates, numbers, '
        "places, history), so the creator can check it; [] if none.",
    ]
    if request.subtitle_language:
        lines += [f'- "subtitle": the same narration in {language_name(request.subtitle_language)}, '
                  "sentence by sentence and in the same order, for the subtitles."]
    lines += [
        "",
        'Answer with ONLY this JSON object: {"scenes": [{"narration": "...", "image_prompt": "...", '
        '"on_screen_text": "...", "needs_review": []' + (', "subtitle": "..."' if request.subtitle_language
                                                         else "") + '}]}',
    ]
    return "\n".join(lines)


def build_scene_prompt(request: ScriptRequest, scenes: Sequence[DraftScene], index: int, variant: int) -> str:
    """The user prompt for rewriting one scene between its neighbours."""
    theme: Theme | None = request.theme_preset if isinstance(request.theme_preset, Theme) else None
    words = max(8, round(request.word_budget))
    old = scenes[index]
    keep = [f.strip() for f in request.key_facts if f.strip() and fact_present(f, old.narration)]
    lines = [f"Rewrite scene {index + 1} of {len(scenes)} of a public-service video script about local culture.",
             "", "Brief:"]
    lines += brief_lines(request, theme)
    lines += ["", "The script so far:"]
    for i, s in enumerate(scenes):
        mark = "  <- rewrite this one" if i == index else ""
        lines.append(f"{i + 1}. {s.narration}{mark}")
    if keep:
        lines += ["", "The new scene MUST keep these key facts, word for word or nearly:"]
        lines += [f"- {f}" for f in keep]
    lines += [
        "",
        f"Write a different version (variation {variant}) that {_flow(index, len(scenes))}, does not repeat "
        f"lines of the other scenes, and has about {words} words of narration in {language_name(request.language)}.",
        'Answer with ONLY this JSON object: {"scenes": [{"narration": "...", "image_prompt": "...", '
        '"on_screen_text": "...", "needs_review": []}]} with exactly one scene. image_prompt is English, '
        "no text in the image, no identifiable people.",
    ]
    return "\n".join(lines)


def structure_lines(theme: Theme | None) -> list[str]:
    """The order of the parts, each with what it is for and (for a theme preset) how, in the theme's words."""
    parts = list(theme.structure) if theme is not None and theme.structure else list(PART_ROLES)
    lines = ["Structure, in this order (one or more scenes per part):"]
    for i, part in enumerate(parts, 1):
        role = PART_ROLES.get(part, part)
        extra = (theme.part_guidance.get(part, "").strip() if theme is not None else "")
        lines.append(f"{i}. {part}: {role}." + (f" {extra}" if extra else ""))
    return lines


def _flow(index: int, count: int) -> str:
    if count == 1:
        return "stands on its own"
    if index == 0:
        return "opens the video and leads into scene 2"
    if index == count - 1:
        return f"follows scene {index} and closes the video"
    return f"flows from scene {index} into scene {index + 2}"


def language_name(code: str) -> str:
    """A language code of the brief as words a model understands: ``Basa Jawa (Javanese)``."""
    from studio.core.languages import language

    lang = language(code or "id")
    if lang is None:
        return code
    return lang.name_id if lang.code == "id" else f"{lang.name_id} ({lang.name_en})"


def brief_lines(request: ScriptRequest, theme: Theme | None) -> list[str]:
    """The brief as "- Field: value" lines, empty fields left out."""
    theme_text = request.theme.strip()
    if theme is not None:
        theme_text = f"{theme.name}" + (f" ({theme.summary})" if theme.summary else "")
    rows = [("Title", request.title), ("Region", request.region), ("Theme", theme_text),
            ("Audience", request.audience), ("Made by (agency)", request.agency),
            ("Notes from the creator", request.notes)]
    return [f"- {name}: {value.strip()}" for name, value in rows if value and value.strip()]
