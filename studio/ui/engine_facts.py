"""Plain words about the local engines: which runtime and CPU features they use, and how long
a script will take here ("Perkiraan: ±1 menit 40 dtk untuk naskah 75 dtk").

Shown by Settings (tab "Mesin") and the Naskah page beside its button. The facts come from
the engine objects (built as preflight builds them: no model is loaded), ``engines.support.cpu``
and ``pipeline.script_eta``; nothing here imports a runtime.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.ui import texts

log = logging.getLogger(__name__)

RUNTIME_NAMES = {"onnxruntime-genai": "ONNX Runtime GenAI", "openvino": "OpenVINO GenAI",
                 "transformers": "PyTorch (transformers)"}


translate = QCoreApplication.translate
"""``translate("EngineFacts", …)`` calls are what pyside6-lupdate collects."""


def duration_words(seconds: float) -> str:
    """``±1 menit 40 dtk`` / ``±45 dtk`` (rounded to 5 s above a minute: it is an estimate)."""
    total = max(1, round(seconds / 5.0) * 5 if seconds >= 60 else round(seconds))
    minutes, rest = divmod(total, 60)
    if not minutes:
        return translate("EngineFacts", "±{s} dtk").format(s=rest)
    if not rest:
        return translate("EngineFacts", "±{m} menit").format(m=minutes)
    return translate("EngineFacts", "±{m} menit {s} dtk").format(m=minutes, s=rest)


def eta_text(estimate: Any, video_seconds: float) -> tuple[str, str]:
    """("Perkiraan: ±1 menit 40 dtk untuk naskah 75 dtk", what it rests on); "Perkiraan kasar" before a run."""
    words = {"time": duration_words(estimate.seconds), "video": texts.seconds(video_seconds, 0)}
    if estimate.rough:
        return (translate("EngineFacts", "Perkiraan kasar: {time} untuk naskah {video}").format(**words),
                translate("EngineFacts", "Dihitung dari ukuran model dan prosesor sampai naskah pertama selesai di komputer ini; "
                   "setelah itu dari kecepatan yang terukur."))
    return (translate("EngineFacts", "Perkiraan: {time} untuk naskah {video}").format(**words),
            translate("EngineFacts", "Diukur dari {n} naskah terakhir dengan model ini di komputer ini.").format(n=estimate.runs))


def _engine(key: str, settings: Any) -> Any:
    from studio.engines import registry

    try:
        return registry.create(key, settings)
    except Exception as exc:  # noqa: BLE001 - a broken engine is the preflight line's to explain
        log.info("no facts for %s: %s", key, exc)
        return None


def _precision(cpu: Any) -> str:
    return "bf16" if cpu is not None and cpu.bf16_fast else "fp32"


def runtime_words(kind: str, key: str, settings: Any, cpu: Any) -> str:
    """"ONNX Runtime GenAI, bobot int4, 2 inti prosesor" for a local engine; "" for the others."""
    engine = _engine(key, settings)
    if engine is None:
        return ""
    threads = int(getattr(engine, "threads", 0) or 0)
    cores = translate("EngineFacts", "{n} inti prosesor").format(n=threads) if threads else translate("EngineFacts", "semua inti prosesor")
    if key == "script.fast_local":
        backend = getattr(engine, "backend", "")
        runtime = RUNTIME_NAMES.get(backend) or translate("EngineFacts", "ONNX Runtime GenAI atau OpenVINO GenAI (menurut folder model)")
        return ", ".join((runtime, translate("EngineFacts", "bobot int4"), cores))
    if key == "script.local":
        return ", ".join((RUNTIME_NAMES["transformers"], translate("EngineFacts", "bobot {p}").format(p=_precision(cpu)), cores))
    if key == "image.diffusers":
        from studio.engines import registry

        if registry.faster_image_engine(settings) is not None:
            return translate("EngineFacts", "OpenVINO (dipilih otomatis: model yang sama, lebih cepat di sini), {p}, {cores}").format(
                p=_precision(cpu), cores=cores)
        return ", ".join(("PyTorch (diffusers)", _precision(cpu), cores))
    if key == "image.fast_local":
        return ", ".join(("OpenVINO", _precision(cpu), cores))
    return ""


def cpu_words(cpu: Any) -> tuple[str, str]:
    """("CPU: AVX2, AVX-512 …", what that means for the user, with any instruction-set cap)."""
    if cpu is None:
        return translate("EngineFacts", "CPU: sedang diperiksa…"), ""
    usable = cpu.usable
    line = "CPU: " + (", ".join(usable) if usable else translate("EngineFacts", "tanpa AVX2"))
    if cpu.bf16_fast:
        meaning = translate("EngineFacts", "Prosesor ini mendukung perhitungan bf16 cepat: gambar dan naskah AI berjalan pada "
                     "kecepatan penuh.")
    elif cpu.int8_dot:
        meaning = translate("EngineFacts", "Prosesor ini punya perkalian int8 cepat (VNNI): naskah int4 cepat; gambar memakai fp32.")
    elif "AVX2" in usable:
        meaning = translate("EngineFacts", "Laptop biasa: AVX2. Naskah int4 tetap lancar; gambar AI lebih lambat.")
    elif "NEON" in usable:
        meaning = translate("EngineFacts", "Prosesor ARM (NEON): AI lokal berjalan, lebih lambat daripada di prosesor dengan AVX-512.")
    else:
        meaning = translate("EngineFacts", "Prosesor tanpa AVX2: AI lokal akan lambat; pertimbangkan server kelas.")
    if cpu.cap is not None:
        hidden = [f for f in cpu.flags if f not in usable]
        meaning += " " + translate("EngineFacts", "{runtimes} dibatasi sampai {value} oleh {var}").format(
            runtimes=cpu.capped_runtimes, value=cpu.cap_value, var=cpu.cap_var)
        meaning += (" " + translate("EngineFacts", "(tidak dipakai: {features}).").format(features=", ".join(hidden)) if hidden else ".")
    return line, meaning


def script_eta(key: str, settings: Any, cpu: Any, project: Any = None,
               wpm: float | None = None) -> tuple[str, str]:
    """(expected time of one script with engine ``key`` here, its basis); ("", "") for an engine that
    runs elsewhere."""
    from studio.pipeline import script_eta as eta
    from studio.pipeline.script import typical_word_budget

    if key not in eta.LOCAL_SCRIPT_ENGINES:
        return "", ""
    engine = _engine(key, settings)
    if engine is None:
        return "", ""
    try:
        words, video = typical_word_budget(project, wpm)
        estimate = eta.estimate(engine, words, cpu)
    except Exception as exc:  # noqa: BLE001 - an estimate must never break a page
        log.info("no script estimate for %s: %s", key, exc)
        return "", ""
    if estimate is None:
        return translate("EngineFacts", "Perkiraan waktu muncul setelah model dipilih."), ""
    return eta_text(estimate, video)


def facts_text(engine_keys: dict[str, str], settings: Any, cpu: Any) -> str:
    """Settings' lines: "Naskah: …" and "Gambar: …" for local engines, then the CPU and what it means."""
    names = {"script": texts.step_label("script"), "image": texts.step_label("images")}
    lines = []
    for kind in ("script", "image"):
        words = runtime_words(kind, engine_keys.get(kind, ""), settings, cpu)
        if words:
            lines.append(f"{names[kind]}: {words}")
    line, meaning = cpu_words(cpu)
    head = " · ".join(lines + [line])
    return head + ("\n" + meaning if meaning else "")
