"""Narration in a regional language with subtitles in another: the language table and the rule."""

from __future__ import annotations

from studio.core.languages import LANGUAGES, is_bilingual, language, language_code, language_name
from studio.core.presets import get_preset
from studio.core.project import Brief, Project
from studio.core.rules.project import check_project_facts
from studio.core.timeline import build_timeline


def test_every_spelling_of_a_language_finds_one_entry() -> None:
    assert language_code("jav") == language_code("JV") == language_code("jv-ID") == "jv"
    assert language("sun").name_id == "Basa Sunda"
    assert language_name("ban") == "Basa Bali" and language_name("min", "en") == "Minangkabau"
    assert language_name("xx") == "xx"
    # Each regional language either has a named voice model or none (then: own recording).
    jv, ban = language("jv"), language("ban")
    assert jv.voice_model == "mms-tts-jav" and jv.whisper == "jw"
    assert ban.voice_model == "" and ban.whisper == ""
    assert [lang.code for lang in LANGUAGES][:5] == ["id", "jv", "su", "ban", "min"]


def test_bilingual_means_subtitles_in_another_language() -> None:
    assert is_bilingual("jv", "id") and not is_bilingual("jv", "jav") and not is_bilingual("jv", "")
    assert Brief(language="jv", subtitle_language="id").bilingual
    assert not Brief(language="jv").bilingual and Brief(language="jv").subtitles_in == "jv"


def _finding(brief: Brief, preset_id: str = "ai-local-content-2025", **preset_fields):
    preset = get_preset(preset_id).model_copy(update=preset_fields)
    project = Project(brief=brief)
    found = [f for f in check_project_facts(project, preset, timeline=build_timeline(project),
                                            ai_steps={"images"}) if f.rule == "brief.language"]
    return found[0]


def test_the_language_rule_reads_regional_narration_from_the_preset() -> None:
    javanese_with_id = Brief(title="t", language="jv", subtitle_language="id")
    # The 2025 preset does not say: a warning that names both languages and says whom to ask.
    unsure = _finding(javanese_with_id)
    assert unsure.severity == "warn" and not unsure.passed and not unsure.blocks
    assert "Basa Jawa" in unsure.message_id and "panitia" in unsure.message_id
    assert unsure.measured == "jv narration, id subtitles"
    # A preset that accepts it passes; one that forbids it blocks.
    assert _finding(javanese_with_id, regional_narration=True).passed
    assert _finding(javanese_with_id, regional_narration=False).blocks
    # Javanese subtitles under Javanese narration are not Indonesian: blocked whatever the field.
    assert _finding(Brief(title="t", language="jv"), regional_narration=True).blocks
    # English is not a regional language of Indonesia.
    assert _finding(Brief(title="t", language="en", subtitle_language="id"), regional_narration=True).blocks
