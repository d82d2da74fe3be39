"""The built-in local-culture theme presets: complete, well-formed, and factually right where
the templates state facts (weton)."""

from __future__ import annotations

import re
import string

import pytest

from studio.core.presets import find_theme, themes

PLACEHOLDERS = {"title", "region", "theme", "fact", "audience", "agency"}
OPTIONAL = {"title", "audience", "agency", "fact"}
ALL = themes()


def _names(template: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name is not None}


def test_at_least_twelve_themes_across_indonesia():
    assert len(ALL) >= 12
    for wanted in ("weton", "batik", "kuliner", "upacara-adat", "permainan-tradisional", "kerajinan", "tari",
                   "cerita-rakyat", "rumah-adat", "musik-tradisional", "gotong-royong", "subak"):
        assert wanted in ALL


@pytest.mark.parametrize("theme_id", sorted(ALL))
def test_theme_is_complete(theme_id):
    t = ALL[theme_id]
    assert t.name and t.name_en and t.summary and t.guidance and t.respect and t.visual_style
    assert len(t.ask_creator) >= 2
    allowed_keys = set(t.structure) | {"fact"} | {f"label_{p}" for p in t.structure}
    assert set(t.sentences) <= allowed_keys
    for part in t.structure:
        lines = t.sentences.get(part, [])
        assert len(lines) >= (3 if part in ("hook", "closing") else 4), part
        # At least one line per part needs nothing the creator may leave empty.
        assert any(not (_names(x) & OPTIONAL) for x in lines), part
        assert t.image_prompts.get(part), part
    for key, lines in t.sentences.items():
        for line in lines:
            assert _names(line) <= PLACEHOLDERS, line
            if not key.startswith("label_"):
                assert re.search(r"[.!?]$", line), line
                assert line[0].isupper() or line.startswith("{"), line
                assert "  " not in line
    for part, prompts in t.image_prompts.items():
        for prompt in prompts:
            assert prompt.isascii(), prompt  # English for the diffusion model
            assert _names(prompt) <= {"region", "theme"}
    # Closing lines thank nobody by name and always offer a line without the agency.
    assert any("{agency}" in line for line in t.sentences["closing"])


@pytest.mark.parametrize("theme_id", sorted(ALL))
def test_image_prompts_avoid_identifiable_people(theme_id):
    for prompts in ALL[theme_id].image_prompts.values():
        for prompt in prompts:
            mentions_people = re.search(r"\b(people|person|villagers?|elders?|children|dancers?|musicians?|farmer|"
                                        r"artisan|family|women|students|volunteers|workers|visitors|grandmother|"
                                        r"neighbours|carver|craftsperson|seller|figure|hands?)\b", prompt)
            if mentions_people:
                assert re.search(r"from behind|from afar|from a distance|silhouette|no faces|face not visible|"
                                 r"no identifiable|seen from above|seen from|small in|no people", prompt), prompt


def test_weton_facts_are_correct():
    t = ALL["weton"]
    text = " ".join(" ".join(v) for k, v in t.sentences.items() if not k.startswith("label_"))
    assert "Legi, Pahing, Pon, Wage, dan Kliwon" in text
    assert "tiga puluh lima hari" in text and "selapan" in text
    words = {"tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9}
    days = {"Minggu": 5, "Senin": 4, "Selasa": 3, "Rabu": 7, "Kamis": 8, "Jumat": 6, "Sabtu": 9}
    pasaran = {"Legi": 5, "Pahing": 9, "Pon": 7, "Wage": 4, "Kliwon": 8}
    stated = {name: words[value] for name, value in re.findall(
        r"\b(Minggu|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Legi|Pahing|Pon|Wage|Kliwon) (tiga|empat|lima|enam|tujuh|"
        r"delapan|sembilan)\b", text)}
    assert stated == {**days, **pasaran}
    for use in ("pernikahan", "pindah rumah", "usaha"):
        assert use in text


def test_find_theme_by_id_and_name():
    assert find_theme("weton").id == "weton"
    assert find_theme("Kuliner Daerah").id == "kuliner"
    assert find_theme("gotong royong").id == "gotong-royong"
    assert find_theme("sasi laut") is None


@pytest.mark.parametrize("theme_id", sorted(ALL))
def test_theme_guides_every_part_of_the_structure_for_the_language_model(theme_id):
    t = ALL[theme_id]
    # hook, context, meaning, relevance today, closing: each with the theme's own guidance.
    assert t.structure == ["hook", "context", "meaning", "today", "closing"]
    assert set(t.part_guidance) == set(t.structure)
    for part, text in t.part_guidance.items():
        assert len(text.split()) >= 6 and text.endswith("."), (part, text)
    assert "ajak" in t.part_guidance["closing"].lower()  # the closing invites, never lectures
    # Respectful wording, and facts to ask the creator for.
    assert len(t.respect.split()) >= 12 and "jangan" in t.respect.lower()
    assert len(t.ask_creator) >= 3 and all(q.strip().endswith("?") for q in t.ask_creator)


@pytest.mark.parametrize("theme_id", sorted(ALL))
def test_the_llm_prompt_carries_the_theme_guidance_and_the_rules(theme_id):
    from studio.engines.base import ScriptRequest
    from studio.engines.llm.prompts import build_prompt

    t = ALL[theme_id]
    fact = "Fakta kunci dari kreator yang wajib muncul."
    prompt = build_prompt(ScriptRequest(title="Judul", region="Kabupaten Contoh", theme=t.id, key_facts=(fact,),
                                        theme_preset=t))
    positions = [prompt.index(f"{i}. {part}: ") for i, part in enumerate(t.structure, 1)]
    assert positions == sorted(positions)
    for text in (*t.part_guidance.values(), t.guidance.strip(), t.respect.strip(), *t.ask_creator, fact):
        assert text.strip() in prompt
    assert "Do not invent names of people or places, dates, numbers" in prompt
    assert '"needs_review"' in prompt and "MUST appear" in prompt
