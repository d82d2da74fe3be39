"""Measure espeak-ng's real Indonesian speaking rate (a script, not a test).

Run: python tests/bench/voice_rate_bench.py
Prints, for each espeak rate parameter, the words per minute over six two-sentence
Indonesian scene narrations (trimmed audio, sentence pauses included), which is
what ``studio.engines.voice.espeak.RATE_TABLE`` holds, and then checks the mapping:
requested wpm -> measured wpm through the engine, plus synthesis speed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from studio.core.jobs import JobContext
from studio.core.timeline import count_words
from studio.engines.voice import espeak as voice_espeak
from studio.engines.base import VoiceRequest

NARRATIONS = [
    "Weton adalah tradisi Jawa yang menghitung hari kelahiran seseorang berdasarkan gabungan "
    "hari dalam seminggu dan hari pasaran. Ada lima hari pasaran, yaitu Legi, Pahing, Pon, "
    "Wage, dan Kliwon.",
    "Setiap weton memiliki nilai neptu yang dipercaya memengaruhi watak, rezeki, dan jodoh. "
    "Banyak keluarga di Jawa masih menggunakan perhitungan weton untuk menentukan hari pernikahan.",
    "Batik tulis dibuat dengan canting dan malam panas. Setiap motif menyimpan cerita tentang "
    "alam, doa, dan harapan para pembatik di kampung kami.",
    "Rendang dimasak perlahan selama berjam-jam dengan santan dan rempah. Bagi masyarakat "
    "Minangkabau, rendang melambangkan kesabaran, kebijaksanaan, dan kebersamaan.",
    "Mari kita lestarikan kearifan lokal ini bersama. Kenali budayamu, banggakan daerahmu, dan "
    "ceritakan kepada generasi berikutnya.",
    "Di Bali, upacara Ngaben adalah cara keluarga melepas orang yang dicintai. Api menyucikan "
    "raga, dan doa mengantar jiwa pulang ke asalnya.",
]


def measure(engine, folder: Path, *, rate_wpm: float | None = None, espeak_rate: int | None = None):
    words = seconds = synth = 0.0
    for i, text in enumerate(NARRATIONS):
        if espeak_rate is not None:
            # Ask for the wpm that the current table maps onto this espeak rate.
            saved = voice_espeak.espeak_rate_for
            voice_espeak.espeak_rate_for = lambda _w, r=espeak_rate: r
        try:
            t0 = time.perf_counter()
            res = engine.synthesize(VoiceRequest(text, rate_wpm=int(rate_wpm or 150)),
                                    folder / f"{i}.wav", JobContext("bench"))
            synth += time.perf_counter() - t0
        finally:
            if espeak_rate is not None:
                voice_espeak.espeak_rate_for = saved
        words += count_words(text)
        seconds += res.duration
    return words * 60.0 / seconds, seconds, synth


def main() -> int:
    engine = voice_espeak.EspeakVoiceEngine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("espeak_rate  measured_wpm   (RATE_TABLE entry)")
        table = dict(voice_espeak.RATE_TABLE)
        for rate in [r for r, _ in voice_espeak.RATE_TABLE]:
            wpm, _, _ = measure(engine, folder, espeak_rate=rate)
            print(f"{rate:11d}  {wpm:12.1f}   ({table[rate]})")
        print("\nrequested_wpm  espeak_rate  predicted_wpm  measured_wpm  audio_s  synth_s  x_realtime")
        for req in (90, 110, 130, 140, 150, 170, 200):
            wpm, secs, synth = measure(engine, folder, rate_wpm=req)
            print(f"{req:13d}  {voice_espeak.espeak_rate_for(req):11d}  "
                  f"{voice_espeak.words_per_minute(req):13.1f}  {wpm:12.1f}  {secs:7.1f}  "
                  f"{synth:7.3f}  {secs / synth:10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
