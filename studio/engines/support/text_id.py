"""Indonesian text for the voice: what a TTS engine should say for what the script writes.

Owns two things every voice engine shares:

- text hygiene (``speakable_text``: Markdown, URLs and emoji out) and the word tokens
  subtitles are made of (``split_words``), so the voice and the subtitles agree on
  what a "word" is;
- the Indonesian normaliser (``normalize``): numbers, dates, times, money,
  percentages, ordinals, decimals, units, abbreviations, spelled acronyms and
  regional spellings become the words a reader would say ("17/10" → "tujuh belas
  Oktober", "Rp 5.000" → "lima ribu rupiah", "KPU" → "ka pe u").

The subtitles keep the script as written ("Rp 5.000"); only the voice hears the spoken
form. ``SpeechText`` remembers which written tokens each piece of spoken text came
from, so word timings the engine gives for the spoken words map back onto the
written words (``SpeechText.written_timings``).

The pronunciation data (abbreviations, acronyms, units, regional respellings) is a
TOML file, ``presets/lexicon/id.toml``, merged with a trainer's own
``<user data>/presets/lexicon/id.toml``: adding a region's terms needs no code.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core import paths
from studio.core.project import WordTiming
from studio.engines.support.text_clean import speakable_text, split_words

log = logging.getLogger(__name__)

LEXICON_FILE = "id.toml"
INDONESIAN_LIKE = frozenset({"id", "ind", "ms", "jv", "jw", "su", "ban", "mad", "min", "bug", "bjn",
                             "ace", "sas", "mak", "bew", "gor", "nij", "rej", "tet", ""})
"""Languages whose narration the Indonesian normaliser reads (regional languages are
narrated by the Indonesian voices; numbers are said in Indonesian)."""

# Hygiene and tokens live in text_clean; these names stay importable from here.
__all__ = ["INDONESIAN_LIKE", "Lexicon", "MONTHS", "SpeechText", "decimal_words", "digits_words", "int_words",
           "load_lexicon", "normalize", "number_words", "ordinal_words", "roman_value", "speakable_text",
           "split_words", "spoken_form"]


# ---------------------------------------------------------------- numbers in words

_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def number_words(n: int) -> str:
    """An integer in Indonesian words: 1945 → "seribu sembilan ratus empat puluh lima"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 10:
        return _UNITS[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
        return head + (f" {number_words(rest)}" if rest else "")
    if n < 10**6:
        thousands, rest = divmod(n, 1000)
        head = "seribu" if thousands == 1 else f"{number_words(thousands)} ribu"
        return head + (f" {number_words(rest)}" if rest else "")
    if n < 10**15:
        for scale, name in _SCALES:
            if n >= scale:
                big, rest = divmod(n, scale)
                return f"{number_words(big)} {name}" + (f" {number_words(rest)}" if rest else "")
    return digits_words(str(n))


def digits_words(digits: str) -> str:
    """Digit by digit ("0812" → "nol delapan satu dua"), for codes and phone numbers."""
    return " ".join(_UNITS[int(d)] for d in digits if d.isdigit())


def ordinal_words(n: int) -> str:
    """3 → "ketiga", 19 → "kesembilan belas"; 1 → "pertama" (as it is said)."""
    return "pertama" if n == 1 else "ke" + number_words(n)


def decimal_words(text: str) -> str:
    """"2,5" → "dua koma lima"; the part after the comma is read digit by digit."""
    whole, _, frac = text.partition(",")
    return f"{int_words(whole)} koma {digits_words(frac)}" if frac else int_words(whole)


def int_words(text: str) -> str:
    """A written integer ("5.000", "17", "0812") in words."""
    clean = text.replace(".", "")
    if len(clean) > 1 and clean.startswith("0"):
        return digits_words(clean)
    return number_words(int(clean))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_value(text: str) -> int | None:
    """The value of a Roman numeral ("XIX" → 19), or None."""
    if not text or not _ROMAN_RE.match(text):
        return None
    total = 0
    for a, b in zip(text, text[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total or None


# ---------------------------------------------------------------- the lexicon


@dataclass(frozen=True)
class Lexicon:
    """Pronunciation data from ``presets/lexicon/id.toml`` (+ the user's own file)."""

    abbreviations: dict[str, str] = field(default_factory=dict)
    dotted: dict[str, str] = field(default_factory=dict)
    era: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    acronym_words: frozenset[str] = frozenset()
    acronym_spell: frozenset[str] = frozenset()
    common_words: frozenset[str] = frozenset()
    letters: dict[str, str] = field(default_factory=dict)
    roman_after: frozenset[str] = frozenset()
    respell: dict[str, str] = field(default_factory=dict)
    rules: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_dicts(cls, *docs: dict[str, Any]) -> "Lexicon":
        """Merge TOML documents; later ones win."""
        def table(name: str, lower: bool = True) -> dict[str, str]:
            out: dict[str, str] = {}
            for doc in docs:
                for k, v in (doc.get(name) or {}).items():
                    out[k.lower() if lower else k] = str(v)
            return out

        def words(section: str, key: str, upper: bool = True) -> frozenset[str]:
            out: set[str] = set()
            for doc in docs:
                for w in (doc.get(section) or {}).get(key, []):
                    out.add(str(w).upper() if upper else str(w).lower())
            return frozenset(out)

        rules = table("rules")
        return cls(
            abbreviations=table("abbreviations"), dotted=table("dotted", lower=False),
            era=table("era", lower=False), units=table("units"),
            acronym_words=words("acronyms", "words"), acronym_spell=words("acronyms", "spell"),
            common_words=words("acronyms", "common"), letters=table("letters"),
            roman_after=words("roman", "after", upper=False), respell=table("respell"),
            # Longer patterns first so "dh" is not undone by a one-letter rule.
            rules=tuple(sorted(rules.items(), key=lambda kv: -len(kv[0]))))


def lexicon_paths(language: str = "id") -> list[Path]:
    """The built-in lexicon, then the user's (which wins where both define a term); for a
    regional narration, that language's own file (``jv.toml``...) after the Indonesian one."""
    names = [LEXICON_FILE]
    code = (language or "id").split("-")[0].split("_")[0].lower()
    if code not in ("", "id", "ind"):
        names.append(f"{code}.toml")
    return [folder / "lexicon" / name for name in names
            for folder in (paths.presets_dir(), paths.user_presets_dir())]


@functools.lru_cache(maxsize=4)
def _load(files: tuple[tuple[str, float], ...]) -> Lexicon:
    docs = []
    for name, _mtime in files:
        try:
            with open(name, "rb") as f:
                docs.append(tomllib.load(f))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            # A broken user file must not silence the voice: use the rest, say why in the log.
            log.warning("Pronunciation lexicon %s ignored: %s", name, exc)
    return Lexicon.from_dicts(*docs)


def load_lexicon(language: str = "id") -> Lexicon:
    """The merged lexicon for a narration in ``language`` (re-read when a file changes)."""
    files = []
    for p in lexicon_paths(language):
        try:
            files.append((str(p), p.stat().st_mtime))
        except OSError:
            continue
    return _load(tuple(files))


# ---------------------------------------------------------------- normalising


@dataclass(frozen=True)
class SpeechText:
    """What the voice says, and which written words each spoken piece belongs to.

    ``written`` are the script's word tokens (exactly ``split_words(speakable_text(text))``,
    the tokens subtitles show). ``groups`` are ``(first_written, end_written, spoken_start,
    spoken_end)``: written tokens ``[first, end)`` are said as ``spoken[spoken_start:spoken_end]``.
    """

    written: tuple[str, ...]
    spoken: str
    groups: tuple[tuple[int, int, int, int], ...]

    @property
    def changed(self) -> bool:
        return self.spoken != " ".join(self.written)

    def written_timings(self, spoken_words: Sequence[tuple[int, WordTiming]]) -> list[WordTiming]:
        """Timings of the written words from timings of spoken words.

        ``spoken_words`` are ``(character offset in spoken, timing)`` of each word the engine
        timed. A written word starts with its first spoken word and ends with its last;
        written words said together ("Rp 5.000" → "lima ribu rupiah") share their span in
        proportion to their length. A written word nothing was timed for gets the gap
        around it (never an overlap).
        """
        starts = [g[2] for g in self.groups]
        spans: list[list[float] | None] = [None] * len(self.groups)
        for pos, w in spoken_words:
            g = bisect.bisect_right(starts, pos) - 1
            if g < 0:
                g = 0
            if spans[g] is None:
                spans[g] = [w.start, w.end]
            else:
                span = spans[g]
                assert span is not None
                span[0] = min(span[0], w.start)
                span[1] = max(span[1], w.end)
        out: list[WordTiming] = []
        prev_end = 0.0
        for g, (a, b, _, _) in enumerate(self.groups):
            span = spans[g]
            if span is None:
                nxt = next((s[0] for s in spans[g + 1:] if s is not None), prev_end)
                span = [prev_end, max(prev_end, nxt)]
            t0, t1 = max(span[0], prev_end), max(span[1], span[0], prev_end)
            weights = [max(1, len(t)) for t in self.written[a:b]]
            total = float(sum(weights))
            t = t0
            for k, tok in enumerate(self.written[a:b]):
                end = t1 if k == b - a - 1 else t + (t1 - t0) * weights[k] / total
                out.append(WordTiming(text=tok, start=round(t, 3), end=round(max(end, t), 3)))
                t = end
            prev_end = out[-1].start if out else prev_end
        return out


_LEAD = "([{\"'“‘«"
_TRAIL = ".,;:!?…)]}\"'”’»"
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+"
_INT_RE = re.compile(rf"^(?:{_NUM})$")
_DECIMAL_RE = re.compile(rf"^(?:{_NUM}),\d+$")
_PERCENT_RE = re.compile(rf"^((?:{_NUM})(?:,\d+)?)%$")
_MONEY_RE = re.compile(rf"^(Rp\.?|IDR|US\$|\$)((?:{_NUM})(?:,\d+)?)(?:,-|,00)?$", re.IGNORECASE)
_MONEY_PREFIX = re.compile(r"^(Rp\.?|IDR|US\$|\$)$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$")
_TIME_RE = re.compile(r"^(\d{1,2})[.:](\d{2})$")
_ORDINAL_RE = re.compile(r"^[Kk][Ee](?:(\d+)|-(\d+|[IVXLCDM]+))$")
_RANGE_RE = re.compile(rf"^({_NUM})[-–]({_NUM})$")
_NUM_UNIT_RE = re.compile(rf"^((?:{_NUM})(?:,\d+)?)([^\d\s,.].*)$")
_CODE_RE = re.compile(r"^([A-Z]{1,4})(\d{1,4})$")
_SCALE_WORDS = frozenset({"ribu", "juta", "miliar", "triliun", "rb", "jt", "m"})
_CURRENCY_WORDS = {"rp": "rupiah", "rp.": "rupiah", "idr": "rupiah", "us$": "dolar Amerika", "$": "dolar"}
_TIME_CONTEXT = frozenset({"pukul", "jam", "pk", "pkl"})


def _split_punct(token: str) -> tuple[str, str, str]:
    """(leading punctuation, core, trailing punctuation) of one written part."""
    i, j = 0, len(token)
    while i < j and token[i] in _LEAD:
        i += 1
    while j > i and token[j - 1] in _TRAIL:
        # A dot or comma followed by a digit belongs to the number ("5.000", "2,5").
        j -= 1
    core = token[i:j]
    trail = token[j:]
    # "dll." / "No." keep their dot in the core so the lexicon can see it.
    if trail.startswith(".") and core and not core[-1].isdigit():
        core, trail = core + ".", trail[1:]
    return token[:i], core, trail


class _Normaliser:
    def __init__(self, lexicon: Lexicon, shouting: bool) -> None:
        self.lex = lexicon
        self.shouting = shouting

    # ------------------------------------------------------------ single cores

    def number(self, text: str) -> str:
        return decimal_words(text) if "," in text else int_words(text)

    def spell(self, text: str) -> str:
        out = []
        for ch in text:
            if ch.isdigit():
                out.append(_UNITS[int(ch)])
            elif ch.isalpha():
                out.append(self.lex.letters.get(ch.lower(), ch.lower()))
        return " ".join(out)

    def acronym(self, core: str) -> str | None:
        """Spoken form of an ALL-CAPS token, or None when it is not an acronym."""
        letters = [c for c in core if c.isalpha()]
        if len(letters) < 2 or not all(c.isupper() for c in letters) or not core.isalnum():
            return None
        if self.shouting or core in self.lex.common_words:
            return None
        if core in self.lex.acronym_spell:
            return self.spell(core)
        if core in self.lex.acronym_words:
            return core.lower()
        if any(c.isdigit() for c in core):
            return None  # codes are read by _plain
        if len(core) <= 3 or not _pronounceable(core.lower()):
            return self.spell(core)
        return None

    def word(self, core: str) -> str:
        """Regional respelling and letter rules for an ordinary word."""
        low = core.lower()
        if low in self.lex.respell:
            return self.lex.respell[low]
        out = core
        for pattern, repl in self.lex.rules:
            if pattern in out.lower():
                out = re.sub(re.escape(pattern), repl, out, flags=re.IGNORECASE)
        return out

    def core(self, core: str, prev: str) -> str:
        """Spoken form of one core (no surrounding punctuation) given the previous word."""
        if not core:
            return core
        if core in self.lex.dotted:
            return self.lex.dotted[core]
        low = core.lower()
        if low in self.lex.abbreviations:
            return self.lex.abbreviations[low]
        if low.endswith(".") and low[:-1] in self.lex.abbreviations:
            return self.lex.abbreviations[low[:-1]]
        had_dot = core.endswith(".") and len(core) > 1
        base = core[:-1] if had_dot else core
        return self._plain(base, prev) + ("." if had_dot else "")

    def _plain(self, core: str, prev: str) -> str:
        if (m := _MONEY_RE.match(core)) is not None:
            return f"{self.number(m.group(2))} {_CURRENCY_WORDS[m.group(1).lower()]}"
        if (m := _PERCENT_RE.match(core)) is not None:
            return f"{self.number(m.group(1))} persen"
        if (m := _ORDINAL_RE.match(core)) is not None:
            n = m.group(1) or m.group(2)
            value = int(n) if n.isdigit() else roman_value(n)
            if value:
                return ordinal_words(value)
        if (m := _TIME_RE.match(core)) is not None:
            h, mi = int(m.group(1)), int(m.group(2))
            if h <= 24 and mi < 60 and (":" in core or prev.lower() in _TIME_CONTEXT
                                        or len(m.group(1)) == 2):
                return _time_words(h, mi)
        if (m := _DATE_RE.match(core)) is not None:
            d, mo, year = int(m.group(1)), int(m.group(3)), m.group(4)
            if 1 <= d <= 31 and 1 <= mo <= 12 and (m.group(2) == "/" or year):
                text = f"{number_words(d)} {MONTHS[mo - 1]}"
                if year:
                    y = int(year)
                    if len(year) == 2:
                        y += 2000 if y < 50 else 1900
                    text += f" {number_words(y)}"
                return text
            if m.group(2) == "/" and not year:
                return f"{number_words(d)} per {number_words(mo)}"
        if (m := _RANGE_RE.match(core)) is not None:
            return f"{int_words(m.group(1))} sampai {int_words(m.group(2))}"
        if _DECIMAL_RE.match(core) or _INT_RE.match(core):
            return self.number(core)
        if (m := _NUM_UNIT_RE.match(core)) is not None:
            unit = m.group(2)
            said = self.lex.units.get(unit.lower()) or self.lex.era.get(unit)
            if said:
                return f"{self.number(m.group(1))} {said}"
        if (value := roman_value(core)) and prev.lower().rstrip(".,") in self.lex.roman_after:
            return ordinal_words(value)
        if "-" in core and not core.startswith("-"):
            # "KTP-nya", "anak-anak", "ogoh-ogoh": say each part, keep the hyphen.
            parts = core.split("-")
            if all(parts):
                said = [self.core(p, prev) for p in parts]
                if said != parts:
                    spelled = any(p.isupper() and len(p) > 1 for p in parts)
                    return " ".join(said) if spelled else "-".join(said)
        if (said := self.acronym(core)) is not None:
            return said
        if (m := _CODE_RE.match(core)) is not None:  # "G20" → "ge dua puluh"
            return f"{self.spell(m.group(1))} {number_words(int(m.group(2)))}"
        if any(c.isdigit() for c in core) and any(c.isalpha() for c in core):
            return self.spell(core)  # a code such as "B1234XY"
        return self.word(core)

    # ------------------------------------------------------------ tokens and groups

    def token(self, token: str, prev: str, nxt: str) -> str:
        """Spoken form of one written token (which may hold a joined punctuation part)."""
        out: list[str] = []
        for part in token.split(" "):
            lead, core, trail = _split_punct(part)
            if not core:
                out.append(part)
                continue
            unit = core.rstrip(".")
            if _is_number(prev) and (unit in self.lex.era or unit.lower() in self.lex.units):
                # "622 M" (an era, case matters) or "10 km" (a unit, any case).
                said = self.lex.era.get(unit) or self.lex.units[unit.lower()]
                out.append(lead + said + ("." if core.endswith(".") else "") + trail)
                prev = core
                continue
            said = self.core(core, prev)
            if core.endswith(".") and not said.endswith(".") and not nxt and not trail:
                said += "."  # "dll." at the very end still ends the sentence
            out.append(lead + said + trail)
            prev = core
        return " ".join(p for p in out if p)


def _pronounceable(word: str) -> bool:
    """Can a capitalised word be read as a word? (no three consonants in a row, no
    consonant pair at the end, at least one vowel)."""
    vowels = set("aiueo")
    if not any(c in vowels for c in word):
        return False
    run = 0
    for c in word:
        run = 0 if c in vowels else run + 1
        if run >= 3:
            return False
    return not (len(word) >= 2 and word[-1] not in vowels and word[-2] not in vowels
                and word[-2:] not in ("ng", "ny"))


def _is_number(token: str) -> bool:
    core = _split_punct(token)[1] if token else ""
    core = core.removesuffix(",-").removesuffix(",00")
    return bool(core) and bool(_INT_RE.match(core) or _DECIMAL_RE.match(core))


def _time_words(h: int, m: int) -> str:
    if m == 0:
        return number_words(h)
    if m < 10:
        return f"{number_words(h)} lewat {number_words(m)}"
    return f"{number_words(h)} {number_words(m)}"


def normalize(text: str, language: str = "id", lexicon: Lexicon | None = None) -> SpeechText:
    """The spoken form of ``text`` for an Indonesian voice, mapped to its written words.

    Languages the normaliser does not read (English...) get the hygiene only: spoken
    text equals the written words.
    """
    clean = speakable_text(text)
    written = tuple(tok for _, _, tok in split_words(clean))
    lang = (language or "").split("-")[0].split("_")[0].lower()
    groups: list[tuple[int, int, int, int]] = []
    pieces: list[str] = []
    pos = 0

    def add(a: int, b: int, spoken: str) -> None:
        nonlocal pos
        if pieces:
            pos += 1  # the joining space
        groups.append((a, b, pos, pos + len(spoken)))
        pieces.append(spoken)
        pos += len(spoken)

    if lang not in INDONESIAN_LIKE:
        for i, tok in enumerate(written):
            add(i, i + 1, tok)
        return SpeechText(written, " ".join(pieces), tuple(groups))
    lex = lexicon or load_lexicon(lang)
    letters = [c for c in clean if c.isalpha()]
    # A script written in capitals is shouting, not a row of acronyms.
    shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    norm = _Normaliser(lex, shouting)
    i = 0
    while i < len(written):
        tok = written[i]
        prev = written[i - 1] if i else ""
        nxt = written[i + 1] if i + 1 < len(written) else ""
        lead, core, trail = _split_punct(tok)
        # "Rp 5.000", "Rp 1,5 juta": the currency is said after the amount.
        if _MONEY_PREFIX.match(core) and not trail and _is_number(nxt):
            j = i + 2
            _, amount, amount_trail = _split_punct(nxt)
            said = norm.number(amount.removesuffix(",-").removesuffix(",00"))
            if not amount_trail and j < len(written):
                _, scale, scale_trail = _split_punct(written[j])
                if scale.lower() in _SCALE_WORDS:
                    said += " " + {"rb": "ribu", "jt": "juta", "m": "miliar"}.get(scale.lower(), scale.lower())
                    amount_trail = scale_trail
                    j += 1
            add(i, j, f"{lead}{said} {_CURRENCY_WORDS[core.lower()]}{amount_trail}")
            i = j
            continue
        add(i, i + 1, norm.token(tok, prev, nxt))
        i += 1
    return SpeechText(written, " ".join(pieces), tuple(groups))


def spoken_form(text: str, language: str = "id") -> str:
    """Just the spoken text (for previews and for engines without word timings)."""
    return normalize(text, language).spoken
