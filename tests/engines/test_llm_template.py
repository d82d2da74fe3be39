"""The offline template composer: scene count, key facts, length at several speaking rates,
determinism, free-text themes and one-scene rewrites."""

from __future__ import annotations

import re

import pytest

from studio.core.jobs import Cancelled, JobContext
from studio.core.presets import find_theme, themes
from studio.core.timeline import estimate_speech_seconds
from studio.engines.base import ScriptRequest
from studio.engines.llm.scene_json import fact_sentence
from studio.engines.llm.composer import fill, parts_for
from studio.engines.llm.template import TemplateScriptEngine

FACTS = ("Di Klaten, tradisi ini dijaga oleh paguyuban warga sejak tahun 1980.",
         "setiap bulan Sura, warga berkumpul di balai desa")
WPMS = (110.0, 140.0, 170.0)


def make_request(theme: str, wpm: float, **over) -> ScriptRequest:
    base = dict(title="Warisan yang Tetap Hidup", region="Kabupaten Klaten", theme=theme, key_facts=FACTS,
                audience="generasi muda", agency="Dinas Kebudayaan Kabupaten Klaten", target_seconds=64.5,
                min_seconds=52.5, max_seconds=76.5, words_per_minute=wpm, theme_preset=find_theme(theme))
    base.update(over)
    return ScriptRequest(**base)


def spoken(scenes, wpm: float) -> float:
    return sum(estimate_speech_seconds(s.narration, wpm) for s in scenes)


@pytest.mark.parametrize("wpm", WPMS)
@pytest.mark.parametrize("theme", sorted(themes()) + ["sasi laut"])
def test_every_theme_fits_the_budget_with_all_key_facts(theme, wpm):
    req = make_request(theme, wpm)
    result = TemplateScriptEngine().write(req, JobContext("script"))
    scenes = result.scenes
    assert 6 <= len(scenes) <= 10
    assert req.min_seconds <= spoken(scenes, wpm) <= req.max_seconds
    narration = " ".join(s.narration for s in scenes)
    for fact in FACTS:
        assert fact_sentence(fact) in narration  # word for word (first letter and stop added)
    for s in scenes:
        assert s.narration and s.image_prompt and s.on_screen_text
        assert "{" not in s.narration + s.image_prompt + s.on_screen_text
        assert s.image_prompt.isascii()  # English for the diffusion model
        assert len(s.on_screen_text) <= 43
        assert re.search(r"[.!?]$", s.narration)
        phrases = [part.strip().lower() for part in s.image_prompt.split(",")]
        assert len(phrases) == len(set(phrases)), s.image_prompt  # CLIP reads 77 tokens: nothing said twice
    assert result.provenance.is_ai is False
    assert result.provenance.tool == "Penyusun templat Studio Lokal"


def test_the_same_brief_gives_the_same_script():
    a = TemplateScriptEngine().write(make_request("batik", 140), JobContext("script"))
    b = TemplateScriptEngine().write(make_request("batik", 140), JobContext("script"))
    assert a.scenes == b.scenes


def test_a_faster_voice_gets_more_words():
    slow = TemplateScriptEngine().write(make_request("weton", 110, key_facts=()), JobContext("script"))
    fast = TemplateScriptEngine().write(make_request("weton", 170, key_facts=()), JobContext("script"))
    words = lambda r: sum(len(s.narration.split()) for s in r.scenes)  # noqa: E731
    assert words(fast) > words(slow) * 1.2


def test_free_text_theme_uses_the_creators_words():
    req = make_request("sasi laut", 140, theme_preset=None, key_facts=())
    result = TemplateScriptEngine().write(req, JobContext("script"))
    text = " ".join(s.narration for s in result.scenes)
    assert "sasi laut" in text.lower()
    assert result.provenance.params["theme"] == "umum"


def test_many_key_facts_all_land_and_scene_count_stays_in_range():
    facts = tuple(f"Fakta nomor {i} tentang weton di Klaten." for i in range(1, 9))
    result = TemplateScriptEngine().write(make_request("weton", 140, key_facts=facts), JobContext("script"))
    assert 6 <= len(result.scenes) <= 10
    text = " ".join(s.narration for s in result.scenes)
    assert all(f in text for f in facts)


def test_empty_optional_fields_leave_no_gaps():
    req = make_request("weton", 140, region="", audience="", agency="", title="", key_facts=())
    result = TemplateScriptEngine().write(req, JobContext("script"))
    text = " ".join(s.narration + " " + s.on_screen_text for s in result.scenes)
    assert "None" not in text and "{" not in text and "  " not in text
    assert result.scenes[0].on_screen_text == "Weton"


def test_weton_script_tells_the_cycle_correctly():
    text = " ".join(s.narration for s in TemplateScriptEngine().write(
        make_request("weton", 170, key_facts=()), JobContext("script")).scenes)
    assert "Legi, Pahing, Pon, Wage, dan Kliwon" in text
    assert "tiga puluh lima hari" in text


def test_cancelled_before_start():
    ctx = JobContext("script")
    ctx.cancel()
    with pytest.raises(Cancelled):
        TemplateScriptEngine().write(make_request("weton", 140), ctx)


def test_rewrite_scene_keeps_its_facts_and_avoids_the_neighbours_lines():
    engine = TemplateScriptEngine()
    req = make_request("weton", 140)
    scenes = list(engine.write(req, JobContext("script")).scenes)
    index = next(i for i, s in enumerate(scenes) if fact_sentence(FACTS[0]) in s.narration)
    old = scenes[index]
    target = estimate_speech_seconds(old.narration, 140)
    one = engine.rewrite_scene(ScriptRequest(**{**req.__dict__, "target_seconds": target,
                                                "max_seconds": target * 1.6}),
                               scenes, index, JobContext("script"), variant=1)
    assert len(one.scenes) == 1
    new = one.scenes[0]
    assert new.narration != old.narration
    assert fact_sentence(FACTS[0]) in new.narration
    others = [s.narration for i, s in enumerate(scenes) if i != index]
    for sentence in re.split(r"(?<=[.!?])\s+", new.narration):
        if sentence not in FACTS and sentence != fact_sentence(FACTS[0]) and sentence != fact_sentence(FACTS[1]):
            assert not any(sentence in o for o in others)


def test_fill_skips_templates_with_missing_values_and_capitalises_sentence_starts():
    values = {"region": "Bali", "audience": "generasi muda", "agency": ""}
    assert fill("Pesan dari {agency}.", values) is None
    assert fill("{audience}, mari ke {region}.", values) == "Generasi muda, mari ke Bali."
    assert fill("Judul: {title}.", {"title": "Apa itu weton?"}) == "Judul: Apa itu weton?"


def test_parts_for_spreads_the_middle_evenly():
    structure = ["hook", "context", "meaning", "today", "closing"]
    assert parts_for(6, structure) == ["hook", "context", "context", "meaning", "today", "closing"]
    assert parts_for(10, structure).count("context") == 3
    assert parts_for(8, structure)[0] == "hook" and parts_for(8, structure)[-1] == "closing"


def test_a_key_fact_the_theme_already_states_is_said_once():
    """The weton theme's own definition line holds both demo facts; the creator's facts stand
    word for word, the theme line that said them again is left out (issue 16 #7)."""
    from studio.engines.llm.scene_json import _norm_words
    from studio.pipeline.demo import DEMO_BRIEF

    facts = tuple(DEMO_BRIEF.key_facts)
    result = TemplateScriptEngine().write(make_request("weton", 150, key_facts=facts), JobContext("script"))
    sentences = [s for scene in result.scenes for s in re.split(r"(?<=[.!?])\s+", scene.narration) if s]
    for fact in facts:
        words = set(_norm_words(fact))
        saying = [s for s in sentences if len(words & set(_norm_words(s))) >= 0.85 * len(words)]
        assert saying == [fact_sentence(fact)], (fact, saying)
    first = next(s for s in result.scenes if fact_sentence(facts[0]) in s.narration)
    assert first.narration.startswith(fact_sentence(facts[0]))  # the definition leads its scene
