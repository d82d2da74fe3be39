"""Live rule checks on the project being edited.

This module owns the checks that run while the creator works, before any file
exists: the estimated or real duration from the timeline, the render settings, the
required elements (title card, AI disclosure, burned subtitles, theme), whether AI
was used where the preset asks for it, missing and stale scene assets, and AI claims
still awaiting review. Severities follow the policy in ``core.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from studio.core.ailog import tool_label
from studio.core.languages import language, language_code, language_name
from studio.core.presets import Preset
from studio.core.project import Project
from studio.core.rules.common import (
    duration_findings,
    frame_findings,
    join_words,
    steps_text_en,
    steps_text_id,
)
from studio.core.rules.findings import STEP_LABELS_EN, STEP_LABELS_ID, Finding, Severity, make_finding
from studio.core.status import project_status
from studio.core.timeline import Timeline


def project_findings(project: Project, preset: Preset, *, timeline: Timeline,
                     ai_steps: set[str], declared: Sequence[DeclaredTool] = ()) -> list[Finding]:
    """See ``core.rules.check_project_facts`` (the public entry point)."""
    out: list[Finding] = []
    b, r, req = project.brief, project.render, preset.required
    scenes = project.scenes
    with_text = [s for s in scenes if s.narration.strip()]
    out.append(make_finding(
        "script.scenes", "block", bool(with_text), str(len(with_text)), "≥ 1", "script",
        (f"Naskah berisi {len(with_text)} adegan.", f"The script has {len(with_text)} scenes."),
        ("Naskah belum berisi adegan. Buat naskah di langkah Naskah.",
         "The script has no scenes yet. Write it in the Script step.")))
    out += duration_findings(timeline.duration, preset, estimated=timeline.estimated)
    out += frame_findings(r.width, r.height, float(r.fps), preset, from_file=False)

    if req.title_card:
        missing_id = [n for n, v in (("nama pembuat", b.creator), ("instansi", b.agency),
                                     ("judul", b.title)) if not v.strip()]
        missing_en = [n for n, v in (("creator name", b.creator), ("agency", b.agency),
                                     ("title", b.title)) if not v.strip()]
        if not r.title_card:
            out.append(Finding(
                "required.title_card", "block", False, "off", "on", "export",
                "Lomba ini mewajibkan kartu judul. Nyalakan kartu judul di langkah Ekspor.",
                "This competition requires a title card. Turn the title card on in the Export step."))
        else:
            out.append(make_finding(
                "required.title_card", "block", not missing_id,
                "ok" if not missing_id else "missing: " + ", ".join(missing_en),
                "title, creator, agency", "brief",
                ("Kartu judul memuat judul, nama pembuat dan instansi.",
                 "The title card shows the title, creator and agency."),
                ("Kartu judul wajib memuat " + join_words(missing_id, "id") + ". Isi di langkah "
                 "Ide.",
                 "The title card must show the " + join_words(missing_en, "en") + ". Fill it in "
                 "the Idea step.")))
    if req.ai_disclosure:
        out.append(make_finding(
            "required.ai_disclosure", "block", r.end_card, "on" if r.end_card else "off", "on",
            "export",
            ("Kartu penutup menyebutkan alat AI yang dipakai.",
             "The end card names the AI tools used."),
            ("Lomba ini mewajibkan kartu penutup yang menyebut alat AI yang dipakai. Nyalakan "
             "kartu penutup di langkah Ekspor.",
             "This competition requires an end card naming the AI tools used. Turn the end card "
             "on in the Export step.")))
    if req.burned_subtitles:
        subs = project.subtitles
        cues = [c for c in subs.cues if c.text.strip()]
        if not cues:
            out.append(Finding(
                "required.subtitles", "block", False, "0 cues", "burned in", "subtitles",
                "Lomba ini mewajibkan subtitle, tetapi subtitle belum dibuat. Buat di langkah "
                "Subtitle.",
                "This competition requires subtitles, but there are none yet. Make them in the "
                "Subtitles step."))
        else:
            out.append(make_finding(
                "required.subtitles", "block", subs.burn_in,
                f"{len(cues)} cues, " + ("burned in" if subs.burn_in else "not burned in"),
                "burned in", "subtitles",
                (f"{len(cues)} baris subtitle akan menyatu di video.",
                 f"{len(cues)} subtitle cues will be burned into the video."),
                ("Lomba ini mewajibkan subtitle yang menyatu di video. Nyalakan pilihan "
                 "'tampilkan di video' di langkah Subtitle.",
                 "This competition requires subtitles burned into the video. Turn on 'show in "
                 "video' in the Subtitles step.")))
    out += _cue_timing_findings(project)
    if req.theme_metadata:
        fields = (("judul", "title", b.title), ("daerah", "region", b.region),
                  ("tema", "theme", b.theme))
        empty = [(i, e) for i, e, v in fields if not v.strip()]
        out.append(make_finding(
            "required.theme_metadata", "block", not empty,
            "ok" if not empty else "empty: " + ", ".join(e for _, e in empty),
            "title, region, theme", "brief",
            ("Judul, daerah dan tema sudah diisi.", "Title, region and theme are filled in."),
            ("Isi " + join_words([i for i, _ in empty], "id") + " di langkah Ide; lomba ini menilai "
             "kearifan lokal daerah Anda.",
             "Fill in the " + join_words([e for _, e in empty], "en") + " in the Idea step; this "
             "competition judges the local wisdom of your region.")))
    out += language_findings(project, preset)
    if preset.ai.required:
        out.append(_ai_finding(preset, ai_steps, declared))
    if scenes:
        out += _scene_asset_findings(project, preset)
    return out


DeclaredTool = tuple[str, str, list[str]]
"""(tool, model, steps) of an AI tool the creator declared (``core.ailog.declared_tools``)."""


def _declared_text(declared: Sequence[DeclaredTool], wanted: Sequence[str], language: str) -> str:
    """`` Alat AI yang dinyatakan pembuat ikut dihitung: ChatGPT (Naskah).`` or empty."""
    labels = STEP_LABELS_ID if language == "id" else STEP_LABELS_EN
    names = [f"{tool_label(tool, model)} ({', '.join(labels.get(s, s) for s in steps)})"
             for tool, model, steps in declared if any(s in wanted for s in steps)]
    if not names:
        return ""
    if language == "id":
        return f" Alat AI yang dinyatakan pembuat ikut dihitung: {join_words(names, 'id')}."
    return f" AI tools declared by the creator are counted: {join_words(names, 'en')}."


def _ai_finding(preset: Preset, ai_steps: set[str], declared: Sequence[DeclaredTool] = ()) -> Finding:
    """The "uses AI tools" rule, saying in plain words which steps it counted as AI.

    The app's own AI and the tools the creator declared both count, and the sentence names
    the declared ones it counted. Subtitles made by Whisper are AI; whether they are enough
    on their own is the preset's call (``[ai] subtitles_alone``)."""
    wanted = list(preset.ai.steps)
    ai_steps = set(ai_steps) | {s for _, _, steps in declared for s in steps}
    used = [s for s in wanted if s in ai_steps]
    missing = [s for s in wanted if s not in ai_steps]
    only_subtitles = used == ["subtitles"]
    if preset.ai.mode == "any":
        ok = bool(used) and (preset.ai.subtitles_alone or not only_subtitles)
    else:
        ok = not missing
    measured = ", ".join(used) if used else "none"
    counted = [tool for tool, _, steps in declared if any(s in wanted for s in steps)]
    if counted:
        measured += " (declared: " + ", ".join(counted) + ")"
    limit = ("any of " if preset.ai.mode == "any" else "all of ") + ", ".join(wanted)
    counted_id = (f"Dihitung sebagai AI: {steps_text_id(used, 'and')}." if used
                  else "Belum ada langkah yang dihitung sebagai AI.")
    counted_en = (f"Counted as AI: {steps_text_en(used, 'and')}." if used
                  else "No step counts as AI yet.")
    if missing:
        counted_id += f" Tanpa AI: {steps_text_id(missing, 'and')}."
        counted_en += f" Without AI: {steps_text_en(missing, 'and')}."
    others = [s for s in wanted if s != "subtitles"]
    whisper_id = ("Hanya subtitle yang dibuat dengan AI (pengenalan suara Whisper); "
                  f"{steps_text_id(others, 'and')} dibuat tanpa AI.")
    whisper_en = ("Only the subtitles were made with AI (Whisper speech recognition); the "
                  f"{steps_text_en(others, 'and')} were made without AI.")
    if ok and only_subtitles and preset.ai.mode == "any":
        good = (f"{whisper_id} Preset lomba ini menganggap itu cukup; tanyakan panitia bila ragu.",
                f"{whisper_en} This competition's preset counts that as enough; ask the organisers "
                "if unsure.")
    else:
        good = (counted_id, counted_en)
    if preset.ai.mode == "any" and only_subtitles:
        bad = (f"{whisper_id} Lomba ini meminta AI juga di luar subtitle: pakai mesin AI di langkah "
               f"{steps_text_id(others)}.",
               f"{whisper_en} This competition asks for AI beyond the subtitles: use an AI engine in "
               f"the {steps_text_en(others)} step.")
    elif preset.ai.mode == "any":
        bad = (f"Lomba ini mewajibkan pemakaian AI, tetapi belum ada langkah yang memakai AI. "
               f"Pakai mesin AI di langkah {steps_text_id(wanted)}.",
               f"This competition requires AI, but no step used AI yet. Use an AI engine in "
               f"the {steps_text_en(wanted)} step.")
    else:
        bad = (f"Lomba ini mewajibkan AI di setiap langkah berikut; belum memakai AI: "
               f"{steps_text_id(missing, 'and')}. {counted_id}",
               f"This competition requires AI in each of these steps; not yet using AI: "
               f"{steps_text_en(missing, 'and')}. {counted_en}")
    fix_step = (others or wanted or ["script"])[0] if only_subtitles else (missing or wanted or ["script"])[0]
    extra_id, extra_en = _declared_text(declared, wanted, "id"), _declared_text(declared, wanted, "en")
    return make_finding("ai.required", "block", ok, measured, limit, fix_step,
                        (good[0] + extra_id, good[1] + extra_en), (bad[0] + extra_id, bad[1] + extra_en))


MIN_CUE_SECONDS = 0.3
"""A cue on screen for less than this cannot be read (a 14 ms cue is a flash)."""


def _cue_timing_findings(project: Project) -> list[Finding]:
    """A warning naming the cues that overlap the next one or flash by too fast to read."""
    cues = sorted((c for c in project.subtitles.cues if c.text.strip()), key=lambda c: (c.start, c.end))
    overlap = [i + 1 for i, (a, b) in enumerate(zip(cues, cues[1:])) if b.start < a.end - 1e-3]
    short = [i + 1 for i, c in enumerate(cues) if c.end - c.start < MIN_CUE_SECONDS]
    if not overlap and not short:
        return []
    parts_id, parts_en = [], []
    if overlap:
        parts_id.append("subtitle " + ", ".join(map(str, overlap[:10])) + " bertumpuk dengan berikutnya")
        parts_en.append("cue(s) " + ", ".join(map(str, overlap[:10])) + " overlap the next one")
    if short:
        parts_id.append("subtitle " + ", ".join(map(str, short[:10])) + f" tampil kurang dari "
                        f"{MIN_CUE_SECONDS:.1f} detik".replace(".", ","))
        parts_en.append("cue(s) " + ", ".join(map(str, short[:10])) + f" show for less than {MIN_CUE_SECONDS:.1f} s")
    return [Finding("subtitles.timing", "warn", False, f"{len(overlap)} overlap, {len(short)} short",
                    f"no overlap, ≥ {MIN_CUE_SECONDS:g} s", "subtitles",
                    "Waktu subtitle perlu diperiksa: " + "; ".join(parts_id) + ". Perbaiki di langkah Subtitle.",
                    "Subtitle timing needs a look: " + "; ".join(parts_en) + ". Fix it in the Subtitles step.")]


def _numbers(project: Project, ids: Iterable[str]) -> str:
    wanted = set(ids)
    return ", ".join(str(i + 1) for i, s in enumerate(project.scenes) if s.id in wanted)


def _scene_asset_findings(project: Project, preset: Preset) -> list[Finding]:
    out: list[Finding] = []
    scenes = project.scenes
    n = len(scenes)
    no_image = [s.id for s in scenes if s.image is None and s.clip is None]  # a clip is the picture
    out.append(make_finding(
        "scenes.image", "block", not no_image, f"{n - len(no_image)}/{n}", f"{n}/{n}", "images",
        ("Setiap adegan sudah punya gambar.", "Every scene has an image."),
        (f"Adegan {_numbers(project, no_image)} belum punya gambar. Buat atau pilih gambar di "
         "langkah Gambar.",
         f"Scene {_numbers(project, no_image)} has no image yet. Make or choose one in the "
         "Images step.")))
    out += placeholder_findings(project)
    no_voice = [s.id for s in scenes if s.voice is None]
    out.append(make_finding(
        "scenes.voice", "block", not no_voice, f"{n - len(no_voice)}/{n}", f"{n}/{n}", "voice",
        ("Setiap adegan sudah punya suara.", "Every scene has a voice."),
        (f"Adegan {_numbers(project, no_voice)} belum punya suara. Buat atau rekam suara di "
         "langkah Suara.",
         f"Scene {_numbers(project, no_voice)} has no voice yet. Make or record it in the "
         "Voice step.")))
    status = project_status(project)
    for step, what_id, what_en, redo_id, redo_en in (
            ("images", "Gambar", "The images for", "Buat ulang gambarnya di langkah Gambar",
             "Regenerate them in the Images step"),
            ("voice", "Suara", "The voice for", "Buat ulang suaranya di langkah Suara",
             "Regenerate it in the Voice step")):
        stale = status[step].stale
        out.append(make_finding(
            f"stale.{step}", "warn", not stale, f"{len(stale)} stale", "0 stale", step,
            (f"{what_id} sesuai naskah terbaru.", f"{what_en} every scene match the latest script."),
            (f"{what_id} adegan {_numbers(project, stale)} dibuat dari naskah lama. {redo_id} "
             "jika perlu.",
             f"{what_en} scene {_numbers(project, stale)} was made from an older script. "
             f"{redo_en} if needed.")))
    if project.subtitles.cues:
        stale_subs = status["subtitles"].state == "stale"
        # Burned-in cues out of step with the voice are visible to the jury: block then.
        severity: Severity = "block" if (preset.required.burned_subtitles
                                         and project.subtitles.burn_in) else "warn"
        out.append(make_finding(
            "stale.subtitles", severity, not stale_subs, "stale" if stale_subs else "ok", "ok",
            "subtitles",
            ("Subtitle sesuai suara terbaru.", "The subtitles match the latest voice."),
            ("Suara atau naskah berubah setelah subtitle dibuat, jadi waktunya bisa meleset. "
             "Buat ulang subtitle di langkah Subtitle.",
             "The voice or script changed after the subtitles were made, so their timing may be "
             "off. Make the subtitles again in the Subtitles step.")))
    claims = [(i, c) for i, s in enumerate(scenes) for c in s.needs_review]
    out.append(make_finding(
        "review.claims", "warn", not claims, f"{len(claims)} open", "0 open", "script",
        ("Tidak ada fakta dari AI yang menunggu diperiksa.", "No AI claims await checking."),
        (f"Ada {len(claims)} fakta tambahan dari AI yang belum Anda periksa (adegan "
         f"{', '.join(sorted({str(i + 1) for i, _ in claims}, key=int))}). Periksa kebenarannya "
         "di langkah Naskah sebelum mengirim.",
         f"{len(claims)} claims added by the AI are not checked yet (scene "
         f"{', '.join(sorted({str(i + 1) for i, _ in claims}, key=int))}). Verify them in the "
         "Script step before submitting.")))
    m = project.music
    if m.source == "imported":
        out.append(make_finding(
            "music.licence", "warn", bool(m.licence.strip()), m.licence.strip() or "empty",
            "licence noted", "music",
            ("Lisensi musik impor sudah dicatat.", "The imported music's licence is noted."),
            ("Musik impor belum punya catatan lisensi. Tulis sumber dan lisensinya di langkah "
             "Musik agar juri tahu musik itu boleh dipakai.",
             "The imported music has no licence note. Write its source and licence in the Music "
             "step so the jury knows it may be used.")))
    return out


def placeholder_findings(project: Project) -> list[Finding]:
    """A warning naming the scenes that still show placeholder art ("Ilustrasi sementara — bukan
    AI" is drawn on it: fine for a draft, not for the jury), with the three ways out."""
    drafts = [s.id for s in project.scenes
              if s.clip is None and s.image is not None and s.image.origin == "generated"]
    n = len(project.scenes)
    return [make_finding(
        "images.placeholder", "warn", not drafts, f"{len(drafts)}/{n}", f"0/{n}", "images",
        ("Tidak ada ilustrasi sementara di video.", "No placeholder pictures are left in the video."),
        (f"Adegan {_numbers(project, drafts)} masih memakai ilustrasi sementara bertulisan "
         "“Ilustrasi sementara — bukan AI”, yang ikut tampil di video. Ganti di langkah Gambar "
         "dengan foto atau klip Anda sendiri, atau gambar AI (unduh model gambar di Pengaturan → "
         "Model bila belum ada).",
         f"Scene {_numbers(project, drafts)} still shows placeholder art marked “Ilustrasi "
         "sementara — bukan AI”, which appears in the video. Replace it in the Images step with "
         "your own photo or clip, or an AI picture (download an image model in Settings → Models "
         "if there is none yet)."))]


def check_project_facts(project: Project, preset: Preset, *, timeline: Timeline,
                        ai_steps: set[str], declared: Sequence[DeclaredTool] = ()) -> list[Finding]:
    """Live checks while editing: what would make the export fail, found early.

    ``ai_steps`` are the steps in which an AI model produced current content
    (``core.ailog.steps_with_ai(current_records(...))``); ``declared`` the AI tools the creator
    declared for imported pieces (``core.ailog.declared_tools``), which the "uses AI" rule
    counts and names.
    """
    return project_findings(project, preset, timeline=timeline, ai_steps=ai_steps, declared=declared)


def language_findings(project: Project, preset: Preset) -> list[Finding]:
    """The preset's language rule, which understands narration in a regional language of
    Indonesia with subtitles in the preset's language (``preset.regional_narration``)."""
    if not preset.language.strip():
        return []
    b = project.brief
    want, have = language_code(preset.language), language_code(b.language or "")
    subs = language_code(b.subtitle_language or b.language or "")
    want_id, want_en = language_name(want, "id"), language_name(want, "en")
    if want == have:
        return [Finding("brief.language", "block", True, have, want, "brief",
                        f"Video dalam {want_id}, sesuai ketentuan lomba.",
                        f"The video is in {want_en}, as the competition asks.")]
    lang = language(have)
    regional = lang is not None and lang.regional
    if regional and subs == want and preset.regional_narration is not False:
        have_id, have_en = language_name(have, "id"), language_name(have, "en")
        measured = f"{have} narration, {subs} subtitles"
        if preset.regional_narration:
            return [Finding("brief.language", "block", True, measured, want, "brief",
                            f"Narasi dalam {have_id} dengan subtitle {want_id}: diterima lomba ini.",
                            f"Narration in {have_en} with {want_en} subtitles: this competition accepts it.")]
        return [Finding(
            "brief.language", "warn", False, measured, want, "brief",
            f"Lomba ini meminta video dalam {want_id}; ketentuannya tidak menyebut narasi bahasa daerah. "
            f"Narasi {have_id} dengan subtitle {want_id} membuat video tetap dipahami juri, tetapi "
            "tanyakan dulu kepada panitia.",
            f"This competition asks for a video in {want_en}; its rules do not mention narration in a "
            f"regional language. {have_en} narration with {want_en} subtitles keeps the video "
            "understandable to the jury, but ask the organisers first.")]
    have_id = language_name(have, "id") if have else "(kosong)"
    have_en = language_name(have, "en") if have else "(empty)"
    fix_id = (f" Narasi bahasa daerah boleh bila subtitlenya dalam {want_id}." if preset.regional_narration
              else "")
    fix_en = (f" Regional narration is accepted with {want_en} subtitles." if preset.regional_narration else "")
    return [Finding(
        "brief.language", "block", False, have or "empty", want, "brief",
        f"Lomba ini meminta video dalam {want_id}, tetapi bahasa proyek adalah {have_id}. Ubah bahasa "
        f"di langkah Ide, lalu buat ulang naskah, suara dan subtitle.{fix_id}",
        f"This competition asks for a video in {want_en}, but the project language is {have_en}. "
        f"Change the language in the Idea step, then redo the script, voice and subtitles.{fix_en}")]
