"""The template composer's plan: the theme's sentences per structure part, the scenes they
fill, the creator's key facts woven in word for word (never said twice), and the fit to the
spoken-length budget. ``llm.template.TemplateScriptEngine`` is the engine over it.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from studio.core.presets import Theme
from studio.core.timeline import count_words, estimate_speech_seconds
from studio.engines.base import DraftScene, ScriptRequest
from studio.engines.llm.scene_json import _norm_words, fact_sentence

PARTS: tuple[str, ...] = ("hook", "context", "meaning", "today", "closing")
WORDS_PER_SCENE = 20
"""About 8 seconds of speech at 150 wpm: a comfortable pace for a vertical short."""
MAX_SENTENCES_PER_SCENE = 3
"""In the middle parts; a hook is one line (its lines are alternatives) and a closing two."""

RESTATED_SHARE = 0.85
"""A theme sentence holding this share of a key fact's words says that fact again."""

FACT_CARRIERS = ("{fact}",)
"""How a key fact enters a scene: as its own sentence, word for word."""

DEFAULT_LABELS: dict[str, tuple[str, ...]] = {
    "context": ("Mengenal {name}", "Dari {region}", "Warisan turun-temurun"),
    "meaning": ("Makna di baliknya", "Nilai yang dijaga", "Pesan untuk kita"),
    "today": ("Tetap hidup hari ini", "Di tangan generasi muda", "Terus diceritakan"),
    "closing": ("Mari lestarikan", "Bangga budaya lokal"),
}

# General local-wisdom sentences: the whole template for a free-text theme, and a
# second tier for any preset whose own sentences run out.
GENERIC = Theme(
    id="umum",
    name="Kearifan lokal",
    name_en="Local wisdom",
    summary="Templat umum untuk tema yang ditulis sendiri oleh kreator.",
    visual_style="documentary photography, warm natural light, Indonesian village atmosphere",
    sentences={
        "hook": [
            "Setiap daerah punya cara sendiri untuk menjaga ingatan bersama. Di {region}, salah satunya adalah {theme}.",
            "Apa yang membuat {theme} begitu berarti bagi masyarakat {region}? Mari kita simak bersama.",
            "{theme} bukan sekadar tradisi. Di {region}, ia adalah bagian dari cara hidup yang diwariskan turun-temurun.",
        ],
        "context": [
            "{theme} tumbuh dari kebiasaan masyarakat {region} yang hidup dekat dengan alam dan sesamanya.",
            "Pengetahuan tentang {theme} diwariskan dari generasi ke generasi, melalui cerita, contoh, dan kebersamaan.",
            "Setiap unsurnya punya nama, cara, dan waktu yang dijaga dengan cermat oleh orang-orang yang menjalankannya.",
            "Bagi warga {region}, {theme} adalah pengetahuan yang dipelajari dengan melihat, mendengar, dan ikut serta.",
        ],
        "meaning": [
            "Di balik {theme}, tersimpan nilai kebersamaan, rasa hormat, dan tanggung jawab terhadap sesama.",
            "Kearifan lokal seperti ini mengajarkan kita untuk hidup selaras dengan alam, dengan sesama, dan dengan Sang Pencipta.",
            "Nilai-nilai itu tetap relevan hari ini: saling menghargai, sabar, dan peduli pada lingkungan.",
            "Setiap langkahnya mengandung makna yang dipahami bersama, sehingga {theme} menjadi perekat hubungan antarwarga.",
        ],
        "today": [
            "Kini, {theme} menghadapi tantangan zaman, tetapi juga peluang baru untuk dikenal lebih luas.",
            "Generasi muda di {region} dapat ikut menjaganya: belajar, mendokumentasikan, dan membagikan ceritanya dengan bangga.",
            "Lewat sekolah, komunitas, dan media sosial, {theme} dapat diperkenalkan dengan cara yang segar tanpa kehilangan maknanya.",
            "Pelayanan publik pun dapat berperan, misalnya dengan mendukung komunitas dan para pelaku budaya setempat.",
        ],
        "closing": [
            "Mari kenali, hargai, dan lestarikan {theme} sebagai bagian dari jati diri {region}.",
            "Kearifan lokal adalah warisan bersama. Mari kita jaga agar tetap hidup untuk anak cucu kita.",
            "{audience}, mari menjadi penjaga cerita dan tradisi {region}.",
            "Pesan ini disampaikan oleh {agency}. Bangga budaya lokal, bangga Indonesia.",
        ],
    },
    image_prompts={
        "hook": ["wide view of a village in {region}, Indonesia at golden hour, traditional houses and green hills",
                 "a winding village road in {region}, Indonesia in soft morning mist, palm trees, no people"],
        "context": ["close-up of weathered hands practising a traditional Indonesian craft, warm light, face not visible",
                    "a traditional Indonesian village scene with people seen from afar, morning light",
                    "traditional objects of daily life arranged on a woven mat, still life, soft natural light"],
        "meaning": ["community gathering in an Indonesian village seen from a distance, people from behind, soft evening light",
                    "hands of an elder and a child together over a woven mat, close-up, no faces, warm light"],
        "today": ["young Indonesians seen from behind learning a local tradition together, bright daylight",
                  "a community hall with a small cultural exhibition, bright light, no identifiable people"],
        "closing": ["sunrise over an Indonesian landscape with rice terraces and mountains, hopeful mood, wide shot",
                    "a village at dusk with warm lights in the houses, calm and hopeful mood"],
    },
)


# ------------------------------------------------------------------ text helpers

_FORMATTER = string.Formatter()


def _starts_sentence(literal_before: str) -> bool:
    stripped = literal_before.rstrip().rstrip("\"'“(")
    return stripped == "" or stripped[-1] in ".!?…"


def fill(template: str, values: dict[str, str]) -> str | None:
    """Fill ``{placeholders}``; None when one of them has no value (the template is skipped).

    A value that starts a sentence gets a capital first letter; nothing else in the
    value is changed, so titles and facts stay as the creator wrote them.
    """
    out: list[str] = []
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        out.append(literal)
        if name is None:
            continue
        value = values.get(name, "")
        if not value:
            return None
        if _starts_sentence("".join(out)):
            value = value[0].upper() + value[1:]
        out.append(value)
    text = "".join(out)
    # A title ending in "?" followed by the template's own stop: keep one mark.
    text = re.sub(r"([.!?…])\.", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _lower_first(name: str) -> str:
    if len(name) > 1 and name[1:2].islower():
        return name[0].lower() + name[1:]
    return name


def _short(text: str, limit: int = 42) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:-–—")
    return cut + "…"


def brief_seed(request: ScriptRequest) -> int:
    """A stable number from the brief, so the same brief gives the same script."""
    data = json.dumps([request.title, request.region, request.theme, list(request.key_facts),
                       request.audience, request.agency], ensure_ascii=False)
    return int(hashlib.sha256(data.encode("utf-8")).hexdigest()[:12], 16)


def theme_revision(theme: Theme) -> str:
    """Hash of a theme's sentences and prompts, so the log says which template text was used."""
    data = json.dumps([theme.sentences, theme.image_prompts, theme.version], sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


# ------------------------------------------------------------------ the plan


@dataclass
class _PartPool:
    """The candidate sentences of one structure part, in the order they are picked."""

    part: str
    sentences: list[str]
    """Filled sentences, theme's own first (file order), then the generic tier."""
    priority: list[int]
    """Indices into ``sentences`` in the order to pick them."""
    chosen: list[int] = field(default_factory=list)

    def next_unused(self) -> int | None:
        for i in self.priority:
            if i not in self.chosen:
                return i
        return None


@dataclass
class _PlannedScene:
    part: str
    occurrence: int
    """0 for the first scene of its part, 1 for the second..."""
    facts: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    """Key facts standing where the theme's own line said them (a definition leads its scene)."""

    def text(self) -> str:
        # The part's first sentence introduces; the creator's facts follow it.
        body = self.lead + self.sentences[:1] + self.facts + self.sentences[1:]
        return " ".join(body).strip()


def parts_for(n: int, structure: Sequence[str]) -> list[str]:
    """The structure part of each of ``n`` scenes: first and last part once, the middle shared."""
    structure = list(structure) or list(PARTS)
    if len(structure) == 1:
        return structure * n
    first, last, middle = structure[0], structure[-1], structure[1:-1] or [structure[0]]
    inner = max(0, n - 2)
    counts = [inner // len(middle)] * len(middle)
    for i in range(inner % len(middle)):
        counts[i] += 1
    out = [first]
    for part, count in zip(middle, counts):
        out += [part] * count
    return out + [last]


class _Composer:
    """One composition: pools, the scene plan, and the budget fit."""

    def __init__(self, request: ScriptRequest, theme: Theme | None, variant: int) -> None:
        self.request = request
        self.preset = theme
        self.theme = theme or GENERIC
        self.variant = variant
        self.seed = brief_seed(request)
        name = self.theme.name if theme is not None else (request.theme.strip() or GENERIC.name)
        self.values = {
            "title": request.title.strip(),
            "region": request.region.strip() or "daerah kita",
            "theme": _lower_first(name) if theme is not None else name,
            "audience": request.audience.strip(),
            "agency": request.agency.strip(),
        }
        self.structure = list(self.theme.structure) or list(PARTS)
        self.facts = [s for s in (fact_sentence(f) for f in request.key_facts) if s]
        self.leads: dict[str, str] = {}
        """Key fact -> the structure part whose theme line said it (it leads a scene there)."""
        self.wpm = max(40.0, float(request.words_per_minute))

    # ---- pools

    def pool(self, part: str) -> _PartPool:
        # A theme line that already says one of the creator's key facts is left out: the fact
        # itself goes in word for word, and the script must not say it twice.
        own = [fill(t, self.values) for t in self.theme.sentences.get(part, [])]
        for sentence in own:
            fact = self.restated_fact(sentence or "")
            if fact is not None and fact not in self.leads:
                self.leads[fact] = part
        own = [s for s in own if s and not self.restates_a_fact(s)]
        generic = [] if self.theme is GENERIC else [
            s for s in (fill(t, self.values) for t in GENERIC.sentences.get(part, []))
            if s and not self.restates_a_fact(s)]
        sentences = own + [g for g in generic if g not in own]
        # Hook and closing lines stand alone, so the brief picks which one leads; middle
        # parts keep the author's order (definition first) unless a variant rotates it.
        if part in (self.structure[0], self.structure[-1]) and own:
            rot = (self.seed + self.variant) % len(own)
        else:
            rot = self.variant % len(own) if own else 0
        first = list(range(len(own)))
        first = first[rot:] + first[:rot]
        tier2 = list(range(len(own), len(sentences)))
        if tier2:
            r2 = self.variant % len(tier2)
            tier2 = tier2[r2:] + tier2[:r2]
        return _PartPool(part, sentences, first + tier2)

    def restated_fact(self, sentence: str) -> str | None:
        """The key fact ``sentence`` says again, if any: nearly all of the fact's words (and
        every number in it) are in the sentence, in any order."""
        have = set(_norm_words(sentence))
        for fact in self.facts:
            want = _norm_words(fact)
            if not want or any(w not in have for w in want if any(ch.isdigit() for ch in w)):
                continue
            if sum(w in have for w in want) >= RESTATED_SHARE * len(want):
                return fact
        return None

    def restates_a_fact(self, sentence: str) -> bool:
        return self.restated_fact(sentence) is not None

    def labels(self, part: str) -> list[str]:
        if part == self.structure[0]:
            title = self.values["title"] or self.theme.name
            return [_short(title)]
        own = self.theme.sentences.get(f"label_{part}") or list(DEFAULT_LABELS.get(part, ()))
        name = self.theme.name if self.preset is not None else self.values["theme"]
        values = {**self.values, "name": name}
        out = [fill(t, values) for t in own]
        return [_short(x, 40) for x in out if x] or [self.theme.name]

    def image_prompt(self, part: str, occurrence: int) -> str:
        prompts = self.theme.image_prompts.get(part) or GENERIC.image_prompts.get(part) or [
            "Indonesian local culture, documentary photography"]
        values = {**self.values, "region": self.request.region.strip() or "a region",
                  "theme": self.values["theme"]}
        template = prompts[(occurrence + self.variant) % len(prompts)]
        prompt = fill(template, values) or template
        style = self.theme.visual_style.strip()
        if style and self.request.image_style in ("", "photo"):
            # A phrase the shot already names is not said twice (tari's shots end with
            # "graceful motion", its style starts with it): CLIP reads only 77 tokens.
            have = {part.strip().lower() for part in prompt.split(",")}
            extra = [part.strip() for part in style.split(",") if part.strip().lower() not in have]
            prompt = ", ".join([prompt, *extra]) if extra else prompt
        return prompt

    # ---- plan and fit

    def cap(self, part: str) -> int:
        """Template sentences a scene of ``part`` may hold."""
        if part == self.structure[0]:
            return 1
        if part == self.structure[-1]:
            return 2
        return MAX_SENTENCES_PER_SCENE

    def scene_count(self) -> int:
        r = self.request
        budget = max(1, r.word_budget)
        n = round(budget / WORDS_PER_SCENE)
        # Many key facts need room: roughly two facts per middle scene at most.
        n = max(n, 2 + (len(self.facts) + 1) // 2)
        return max(r.min_scenes, min(r.max_scenes, n))

    def layout(self, n: int) -> tuple[list[_PlannedScene], dict[str, _PartPool]]:
        parts = parts_for(n, self.structure)
        scenes: list[_PlannedScene] = []
        seen: dict[str, int] = {}
        for part in parts:
            scenes.append(_PlannedScene(part, seen.get(part, 0)))
            seen[part] = seen.get(part, 0) + 1
        middle = [s for s in scenes[1:-1]] or scenes
        pools = {part: self.pool(part) for part in seen}
        rest = []
        for fact in self.facts:
            home = next((s for s in middle if s.part == self.leads.get(fact)), None)
            if home is not None:
                home.lead.append(fact)
            else:
                rest.append(fact)
        for i, fact in enumerate(rest):
            # Round robin over the middle, the scenes already leading with a fact last.
            order = sorted(middle, key=lambda s: bool(s.lead))
            order[i % len(order)].facts.append(fact)
        for part, pool in pools.items():
            for _ in range(seen[part]):
                i = pool.next_unused()
                if i is not None:
                    pool.chosen.append(i)
        self._distribute(scenes, pools)
        return scenes, pools

    @staticmethod
    def _distribute(scenes: list[_PlannedScene], pools: dict[str, _PartPool]) -> None:
        """Split each part's chosen sentences (in pool order) over its scenes."""
        for part, pool in pools.items():
            mine = [s for s in scenes if s.part == part]
            ordered = [pool.sentences[i] for i in sorted(pool.chosen)]
            base, extra = divmod(len(ordered), len(mine))
            pos = 0
            for k, scene in enumerate(mine):
                take = base + (1 if k < extra else 0)
                scene.sentences = ordered[pos:pos + take]
                pos += take

    def estimate(self, scenes: list[_PlannedScene]) -> float:
        return sum(estimate_speech_seconds(s.text(), self.wpm) for s in scenes)

    def fit(self, scenes: list[_PlannedScene], pools: dict[str, _PartPool]) -> float:
        r = self.request
        total = self.estimate(scenes)
        # Grow: add a sentence to the part whose scenes are shortest, while it helps.
        while True:
            best: tuple[float, str, int] | None = None
            for part, pool in pools.items():
                count = sum(1 for s in scenes if s.part == part)
                if len(pool.chosen) >= count * self.cap(part):
                    continue
                nxt = pool.next_unused()
                if nxt is None:
                    continue
                words = sum(count_words(s.text()) for s in scenes if s.part == part) / count
                if best is None or words < best[0]:
                    best = (words, part, nxt)
            if best is None:
                break
            _words, part, nxt = best
            pools[part].chosen.append(nxt)
            self._distribute(scenes, pools)
            new_total = self.estimate(scenes)
            better = abs(new_total - r.target_seconds) < abs(total - r.target_seconds)
            if new_total <= r.max_seconds and (better or total < r.min_seconds):
                total = new_total
                continue
            pools[part].chosen.pop()
            self._distribute(scenes, pools)
            break
        # Shrink: drop the last-picked extra sentence of the longest part while too long.
        while total > r.max_seconds:
            candidates = [(sum(count_words(s.text()) for s in scenes if s.part == p), p)
                          for p, pool in pools.items()
                          if len(pool.chosen) > sum(1 for s in scenes if s.part == p)]
            if not candidates:
                break
            _w, part = max(candidates)
            pools[part].chosen.pop()
            self._distribute(scenes, pools)
            total = self.estimate(scenes)
        return total

    def compose(self) -> tuple[list[DraftScene], float, int]:
        r = self.request
        n = self.scene_count()
        while True:
            scenes, pools = self.layout(n)
            total = self.fit(scenes, pools)
            if total <= r.max_seconds or n <= r.min_scenes or n <= 2 + (len(self.facts) + 1) // 2:
                break
            n -= 1  # even one sentence a scene is too long: fewer scenes
        return [self.draft(s) for s in scenes], total, n

    def draft(self, scene: _PlannedScene) -> DraftScene:
        labels = self.labels(scene.part)
        label = labels[(scene.occurrence + (self.variant if scene.part != self.structure[0] else 0))
                       % len(labels)]
        # The templates are Indonesian: in a bilingual project they fill the Indonesian subtitle
        # line, and the narration starts as the same text for the creator to put in their language.
        text = scene.text()
        return DraftScene(narration=text, image_prompt=self.image_prompt(scene.part, scene.occurrence),
                          on_screen_text=label, subtitle=text if self.request.subtitle_language else "")
