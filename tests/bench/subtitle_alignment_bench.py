"""How well do Whisper-timed subtitles match the truth? (a script, not a test)

Run: python tests/bench/subtitle_alignment_bench.py [rate_wpm]
espeak-ng's word events are exact, so they serve as ground truth: each narration is
spoken, transcribed by the bundled Whisper base (language "id"), the script is aligned
to what Whisper heard (``align_to_script``), and the aligned word times are compared
with espeak's. Prints WER per narration and the start/end error distribution, plus
the time Whisper took per second of audio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from studio.core.jobs import JobContext
from studio.engines.base import TranscribeRequest, VoiceRequest
from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine
from studio.engines.voice.espeak import EspeakVoiceEngine
from studio.pipeline.subtitles.align import align_to_script, word_error_rate

sys.path.insert(0, str(Path(__file__).parent))
from voice_rate_bench import NARRATIONS  # noqa: E402


def main() -> int:
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 140
    voice, whisper = EspeakVoiceEngine(), FasterWhisperEngine()
    t0 = time.perf_counter()
    whisper.load()
    print(f"model load {time.perf_counter() - t0:.2f} s")
    starts, ends, audio_s, asr_s = [], [], 0.0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(NARRATIONS):
            wav = Path(tmp) / f"{i}.wav"
            truth = voice.synthesize(VoiceRequest(text, rate_wpm=rate), wav, JobContext("v"))
            t0 = time.perf_counter()
            heard = whisper.transcribe(TranscribeRequest(wav, "id"), JobContext("t"))
            asr_s += time.perf_counter() - t0
            audio_s += truth.duration
            aligned = align_to_script(text, list(heard.words), duration=truth.duration)
            ds = [a.start - b.start for a, b in zip(aligned, truth.words)]
            de = [a.end - b.end for a, b in zip(aligned, truth.words)]
            starts += ds
            ends += de
            print(f"{i}: WER {word_error_rate(text, heard.text):.2f}  start |err| median "
                  f"{np.median(np.abs(ds)):.3f} s, max {np.max(np.abs(ds)):.3f} s | {heard.text}")
    s, e = np.abs(starts), np.abs(ends)
    print(f"\nrate {rate} wpm, {len(s)} words: start |err| median {np.median(s):.3f} s, "
          f"p90 {np.percentile(s, 90):.3f} s; end |err| median {np.median(e):.3f} s, "
          f"p90 {np.percentile(e, 90):.3f} s")
    print(f"Whisper: {asr_s:.1f} s for {audio_s:.1f} s of audio (RTF {asr_s / audio_s:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
