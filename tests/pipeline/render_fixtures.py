"""Small real inputs for the render, mix and music tests (and the render benchmark).

Pictures are drawn with PIL (textured, so motion can be measured); voices are
speech-like signals (a voiced buzz with syllable envelopes and pauses) at 22.05 kHz
mono like espeak-ng's, so placement and resampling are exercised for real.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from studio.core import ailog
from studio.core.project import Cue, ImageAsset, Project, Scene, VoiceAsset, WordTiming
from studio.core.storage import create_project
from studio.core.timeline import build_timeline
from studio.engines.support.wav import write_wav

VOICE_RATE = 22050


def make_picture(path: Path, size: tuple[int, int], seed: int) -> Path:
    """A landscape-like picture with texture: sky gradient, sun, hills, grain, a grid of dots."""
    rng = np.random.default_rng(seed)
    w, h = size
    ys = np.linspace(0, 1, h)[:, None, None]
    top = np.array(rng.integers(40, 200, 3), float)
    bottom = np.array(rng.integers(40, 200, 3), float)
    arr = top * (1 - ys) + bottom * ys + np.zeros((1, w, 3))
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    r = min(w, h) // 8
    cx, cy = int(w * rng.uniform(0.25, 0.75)), int(h * rng.uniform(0.2, 0.4))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(250, 220, 120))
    for k in range(3):
        pts = [(x, int(h * (0.55 + 0.12 * k) + math.sin(x / w * 6 + seed + k) * h * 0.05))
               for x in range(0, w + 20, 20)]
        color = tuple(int(c) for c in rng.integers(20, 140, 3))
        draw.polygon(pts + [(w, h), (0, h)], fill=color)
    for _ in range(80):
        x, y = int(rng.uniform(0, w)), int(rng.uniform(0, h))
        s = max(2, min(w, h) // 60)
        draw.rectangle((x, y, x + s, y + s), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    noise = rng.normal(0, 6, (h, w, 3))
    img = Image.fromarray((np.asarray(img, float) + noise).clip(0, 255).astype(np.uint8))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def speechlike(seconds: float, seed: int = 0, rate: int = VOICE_RATE) -> np.ndarray:
    """A voiced buzz in ~4 syllables a second with pauses; peaks near -3 dBFS."""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    f0 = 140 + 25 * np.sin(2 * math.pi * 0.7 * t + seed)
    phase = 2 * math.pi * np.cumsum(f0) / rate
    buzz = sum(np.sin(k * phase) / k for k in range(1, 12))
    syll = np.clip(np.sin(2 * math.pi * 4.0 * t + rng.uniform(0, 6)), 0, None) ** 0.6
    words = (np.sin(2 * math.pi * 0.9 * t + rng.uniform(0, 6)) > -0.6).astype(float)
    env = syll * words
    edge = int(0.03 * rate)
    env[:edge] *= np.linspace(0, 1, edge)
    env[-edge:] *= np.linspace(1, 0, edge)
    x = buzz * env
    return (x / np.max(np.abs(x)) * 0.7).astype(np.float32)


def write_voice(path: Path, seconds: float, seed: int) -> float:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(path, speechlike(seconds, seed), VOICE_RATE)
    return seconds


def abrupt_tone(seconds: float, freq: float = 220.0, rate: int = VOICE_RATE) -> np.ndarray:
    """A steady tone that starts and stops at full amplitude: a recording cut mid-word.

    Placed as is it would click at both ends; only the mix's edge fades prevent that.
    """
    t = np.arange(int(seconds * rate)) / rate
    return (0.5 * np.cos(2 * math.pi * freq * t)).astype(np.float32)  # cos: starts at its peak


def write_tone_voice(path: Path, seconds: float, freq: float = 220.0) -> float:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_wav(path, abrupt_tone(seconds, freq), VOICE_RATE)
    return seconds


def click_peaks(samples: np.ndarray, rate: int, times: list[float], window: float = 0.015,
                cutoff: float = 5000.0) -> list[float]:
    """Per time, the largest high-passed (> ``cutoff``) amplitude within +/-``window`` s.

    A click is a step, and a step has energy at every frequency; tones, speech and a
    faded edge have next to none above 5 kHz. Returns dBFS values (-inf: silent).
    """
    from scipy.signal import butter, sosfiltfilt

    mono = np.asarray(samples, dtype=np.float64)
    if mono.ndim == 2:
        mono = mono.mean(axis=1)
    sos = butter(6, cutoff, btype="highpass", fs=rate, output="sos")
    high = np.abs(sosfiltfilt(sos, mono))
    out = []
    for t in times:
        lo, hi = max(0, int((t - window) * rate)), min(len(high), int((t + window) * rate))
        peak = float(high[lo:hi].max()) if hi > lo else 0.0
        out.append(20 * math.log10(peak) if peak > 0 else float("-inf"))
    return out


def build_project(root: Path, *, size: tuple[int, int] = (270, 480), fps: int = 30,
                  voices: tuple[float, ...] = (1.2, 1.0, 1.4), pictures: bool = True,
                  transitions: tuple[str, ...] | None = None, motions: tuple[str, ...] | None = None,
                  cues: bool = True, style: str = "lower_third", title_card: bool = True,
                  end_card: bool = True, origin: str = "ai", title_seconds: float = 1.0,
                  end_seconds: float = 1.2, preset: str = "ultrafast",
                  voice_kind: str = "speech") -> Project:
    """A saved project with real pictures and voices; cues follow each voice.

    ``voice_kind="tone"`` writes abrupt tones instead of speech-like voices (click tests).
    """
    root = Path(root)
    project = Project()
    project.brief.title = "Tradisi Petik Laut di Muncar"
    project.brief.region = "Kabupaten Banyuwangi"
    project.brief.creator = "Budi Santoso"
    project.brief.agency = "Dinas Komunikasi dan Informatika"
    project.render.width, project.render.height, project.render.fps = size[0], size[1], fps
    project.render.title_seconds = title_seconds
    project.render.end_seconds = end_seconds
    project.render.title_card = title_card
    project.render.end_card = end_card
    project.render.x264_preset = preset
    project.music.source = "none"
    create_project(root, project)
    texts = ["Nelayan menghias perahu dengan bunga.", "Sesaji dilarung ke tengah laut.",
             "Syukur atas rezeki dari samudra.", "Warga berdoa bersama di pantai.",
             "Tradisi dijaga turun-temurun.", "Anak muda ikut menari gandrung."]
    for i, seconds in enumerate(voices):
        scene = Scene(narration=texts[i % len(texts)], on_screen_text=f"Bagian {i + 1}")
        if transitions:
            scene.transition = transitions[i % len(transitions)]
        if motions:
            scene.motion = motions[i % len(motions)]
        if pictures:
            rel = f"images/scene-{i + 1}.png"
            make_picture(root / rel, (int(size[0] * 1.2), int(size[1] * 1.2)), seed=i + 1)
            scene.image = ImageAsset(path=rel, origin=origin, engine="image.test",
                                     model="test-model")
        if seconds > 0:
            rel = f"voice/scene-{i + 1}.wav"
            if voice_kind == "tone":
                write_tone_voice(root / rel, seconds, freq=196.0 + 55.0 * i)
            else:
                write_voice(root / rel, seconds, seed=i + 11)
            scene.voice = VoiceAsset(path=rel, origin="tts", engine="voice.test",
                                     duration=seconds, sample_rate=VOICE_RATE)
        project.scenes.append(scene)
    project.subtitles.style = style
    if cues:
        tl = build_timeline(project)
        for seg in tl.scenes():
            if seg.voice_start is None:
                continue
            text = project.scenes[seg.scene_index].narration
            words = text.split()
            step = seg.voice_duration / len(words)
            timed = [WordTiming(text=w, start=seg.voice_start + k * step,
                                end=seg.voice_start + (k + 1) * step) for k, w in enumerate(words)]
            project.subtitles.cues.append(Cue(start=seg.voice_start, end=seg.voice_end, text=text,
                                              scene_id=seg.scene_id, words=timed))
    ailog.append(root, ailog.AiRecord(step="images", action="generate", actor="ai",
                                      engine="image.diffusers", tool="Stable Diffusion (diffusers)",
                                      model="stabilityai/sd-turbo"))
    return project
