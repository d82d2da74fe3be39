"""Subtitle accuracy, timing and Whisper cost on Indonesian narration (a script, not a test).

Run: python tests/bench/subtitle_bench.py [rate_wpm]

The bench writes its own Indonesian scenes (not used by any test, with numbers, money,
dates and acronyms for the normaliser), speaks them with espeak-ng into a project, and
makes subtitles three ways:

1. synthesized narration: cues from the script + espeak's word events (no AI);
2. "recorded" narration: the same audio handed over as the creator's recording (no
   engine timings): Whisper base times it and the script is aligned to what it heard;
3. the same recording without a script: Whisper's own words.

It prints, side by side: cue-text WER against the script, mean absolute error of cue
starts against espeak's word events (the ground truth, since espeak says exactly when
each word starts), reading-rule problems, Whisper's real-time factor (base, int8, 2
threads) and the transcriber's peak memory (measured in a child process).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from studio.core.jobs import JobContext
from studio.core.project import Brief, Project, Scene
from studio.core.storage import create_project
from studio.core.timeline import build_timeline
from studio.engines.voice.espeak import EspeakVoiceEngine
from studio.pipeline.subtitles.align import word_error_rate
from studio.pipeline.subtitles.step import check_cues, make_subtitles
from studio.pipeline.voice.step import synthesize_voices

SCENES = [
    "Di lereng Merapi, para petani menanam kopi sejak tahun 1920.",
    "Setiap 17 Agustus, warga desa menggelar kirab hasil bumi dari balai desa ke alun-alun.",
    "Harga secangkir kopi tubruk di warung hanya Rp 5.000, tetapi rasanya tak kalah dengan kafe kota.",
    "Pukul 05.30 pagi, para ibu sudah memetik buah kopi yang merah dan matang.",
    "Biji kopi dijemur di atas tampah bambu selama dua minggu, lalu disangrai di tungku tanah liat.",
    "Koperasi yang dibina BUMDes kini menjual kopi ke 12 kota dan menyerap 40% tenaga kerja desa.",
    "Anak muda belajar meracik kopi, menjaga warisan leluhur sambil membuka lapangan kerja baru.",
]


def _cue_text(cues) -> str:  # noqa: ANN001
    return " ".join(c.text.replace("\n", " ") for c in cues)


def _start_mae(project: Project, truth: Project, cues) -> float:  # noqa: ANN001
    """Mean |cue start − espeak's event for the cue's first word| in seconds."""
    segs = {s.scene_id: s for s in build_timeline(truth).segments if s.kind == "scene"}
    errors = []
    for scene in truth.scenes:
        events = [w.start + segs[scene.id].voice_start for w in scene.voice.words]
        own = [c for c in cues if c.scene_id == scene.id]
        k = 0
        for cue in own:
            errors.append(abs(cue.start - events[k]))
            k += len(cue.text.split())
    return statistics.fmean(errors) if errors else float("nan")


CONFIGS = {"int8, beam 5": ("int8", 5), "int8, beam 1": ("int8", 1), "float32, beam 5": ("float32", 5)}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it is not inherited over exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _whisper_child(label: str, wavs: list[str]) -> None:
    """Transcribe ``wavs`` with one setting in a fresh process; print timings and peak memory."""
    from studio.core.jobs import JobContext
    from studio.engines.base import TranscribeRequest
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine

    compute, beam = CONFIGS[label]
    before = _peak_mb()
    engine = FasterWhisperEngine(compute_type=compute, cpu_threads=2, beam_size=beam)
    t0 = time.perf_counter()
    engine.load()
    load = time.perf_counter() - t0
    audio = asr = 0.0
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    for wav in wavs:
        t0 = time.perf_counter()
        t = engine.transcribe(TranscribeRequest(Path(wav), "id"), JobContext("t"))
        asr += time.perf_counter() - t0
        audio += t.duration
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(json.dumps({"load": load, "asr": asr, "cpu": cpu, "audio": audio, "peak_mb": _peak_mb(),
                      "before_mb": before}))


def _run_child(label: str, wavs: list[str]) -> dict:
    child = subprocess.run([sys.executable, __file__, "--whisper-child", label, *wavs], capture_output=True,
                           text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--whisper-child":
        _whisper_child(sys.argv[2], sys.argv[3:])
        return 0
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 140
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine

    script = " ".join(SCENES)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kopi"
        p = Project(brief=Brief(title="Kopi Merapi", region="Sleman", theme="kuliner", language="id"),
                    scenes=[Scene(narration=t) for t in SCENES])
        p.voice.rate_wpm = rate
        create_project(root, p)
        t0 = time.perf_counter()
        voices = synthesize_voices(p, root, EspeakVoiceEngine(), JobContext("voice"))
        tts_s = time.perf_counter() - t0
        for s in p.scenes:
            s.voice = voices[s.id]
        audio_s = sum(s.voice.duration for s in p.scenes)

        # 1. Synthesized narration: script text on espeak's word events.
        synth = make_subtitles(p, root, None, JobContext("subtitles")).subtitles.cues
        # 2. "Recorded": the same audio without its engine's timings; Whisper times it.
        rec = p.model_copy(deep=True)
        for s in rec.scenes:
            s.voice = s.voice.model_copy(update={"origin": "recorded", "words": []})
        whisper = FasterWhisperEngine()
        whisper.load()
        t0 = time.perf_counter()
        rec_out = make_subtitles(rec, root, whisper, JobContext("subtitles"))
        rec_s = time.perf_counter() - t0
        recorded = rec_out.subtitles.cues
        # 3. Without a script: what Whisper heard.
        bare = rec.model_copy(deep=True)
        for s in bare.scenes:
            s.narration = ""
        heard = make_subtitles(bare, root, whisper, JobContext("subtitles")).subtitles.cues
        whisper.unload()

        rows = [("synthesized (script + espeak events)", synth, p),
                ("recorded, script known (Whisper base)", recorded, rec),
                ("recorded, no script (Whisper base)", heard, bare)]
        print(f"{len(SCENES)} scenes, {len(script.split())} words, {audio_s:.1f} s of espeak-ng speech at "
              f"{rate} wpm (synthesised in {tts_s:.2f} s)\n")
        print(f"{'narration':42} {'cues':>5} {'cue WER':>8} {'start MAE':>10} {'hard':>5} {'soft':>5}")
        for name, cues, proj in rows:
            wer = word_error_rate(script, _cue_text(cues))
            mae = _start_mae(proj, p, cues) if proj is not bare else float("nan")
            probs = check_cues(proj.model_copy(update={"subtitles": proj.subtitles.model_copy(
                update={"cues": cues})}))
            hard = sum(1 for x in probs if x.hard)
            print(f"{name:42} {len(cues):5d} {wer:8.1%} {mae * 1000:8.0f} ms {hard:5d} {len(probs) - hard:5d}")
        from studio.engines.support.text_id import normalize

        spoken = " ".join(normalize(t).spoken for t in SCENES)
        print(f"{'':42} (no script, WER against the spoken form of the script: "
              f"{word_error_rate(spoken, _cue_text(heard)):.1%})")
        agreement = rec_out.agreement
        print("\nWhisper agreement with the script per scene: "
              + ", ".join(f"{a:.2f}" for a in agreement.values()))
        print(f"(subtitle step with Whisper: {rec_s:.1f} s for {audio_s:.1f} s of audio)")
        # Whisper cost in clean processes: real-time factor and peak memory, per scene file
        # (how the subtitle step calls it) and for the whole narration as one file.
        import numpy as np

        from studio.engines.support.wav import write_wav
        from studio.pipeline.media.audio import read_audio

        wavs = [str(root / s.voice.path) for s in p.scenes]
        whole = Path(tmp) / "whole.wav"
        write_wav(whole, np.concatenate([read_audio(Path(w), rate=16000, channels=1)[:, 0] for w in wavs]), 16000)
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        print(f"\nfaster-whisper base, 2 threads (load average {load} on this 2-core machine when measured):")
        print("(RTF = wall seconds / audio seconds; CPU RTF = CPU seconds / 2 cores / audio seconds, what the")
        print(" wall RTF would be on an idle 2-core machine)")
        print(f"{'setting':18} {'input':>16} {'load':>7} {'RTF':>6} {'CPU RTF':>8} {'peak RSS':>9}")
        for label, files, what in (("int8, beam 5", wavs, f"{len(wavs)} scene files"),
                                   ("int8, beam 5", [str(whole)], "one file"),
                                   ("int8, beam 1", wavs, f"{len(wavs)} scene files"),
                                   ("float32, beam 5", wavs, f"{len(wavs)} scene files")):
            d = _run_child(label, files)
            print(f"{label:18} {what:>16} {d['load']:6.2f}s {d['asr'] / d['audio']:6.3f} "
                  f"{d['cpu'] / 2 / d['audio']:8.3f} {d['peak_mb']:6.0f} MB  "
                  f"(process before loading: {d['before_mb']:.0f} MB)")
        print("\ntargets: synthesized WER 0 and start MAE ≤ 80 ms; recorded (script) WER ≤ 5 %; "
              "RTF ≤ 0.25 for base int8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
