"""Text hygiene for every voice engine, and the word tokens subtitles are made of.

``speakable_text`` removes what a TTS would spell out or choke on (Markdown, URLs,
emoji); ``split_words`` cuts the result into the tokens the voice's word timings and
the subtitle cues share, so "a word" means the same thing everywhere.
"""

from __future__ import annotations

import re
import unicodedata

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_RULE = re.compile(r"^\s*([-*_=~])(\s*\1){2,}\s*$", re.MULTILINE)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_MD_QUOTE = re.compile(r"^\s{0,3}>+\s?", re.MULTILINE)
_MD_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~|`+)")
_URL = re.compile(r"https?://\S+")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _is_pictograph(ch: str) -> bool:
    cat = unicodedata.category(ch)
    cp = ord(ch)
    return (cat in ("So", "Cs", "Co")
            or 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF
            or cp in (0x200D, 0x20E3) or 0xFE00 <= cp <= 0xFE0F or 0xE0000 <= cp <= 0xE007F)


def speakable_text(text: str) -> str:
    """``text`` without what a TTS would spell out or choke on.

    Removes Markdown (``**bold**``, ``_it_``, ``# heading``, ``---`` rules, bullets, quotes,
    links keep their label), URLs and emoji, and folds whitespace. Words and sentence
    punctuation stay, so the spoken words are exactly the script's words: a known bug in
    a peer project was Markdown ``---`` in a script breaking all subtitle timing.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _MD_RULE.sub(" ", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_BULLET.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    text = "".join(" " if _is_pictograph(ch) else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch == "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    # A line without closing punctuation (a heading, a bullet) still ends a phrase.
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if out and not re.search(r"[.!?…:;,]$", out[-1]):
            out[-1] += ","
        out.append(line)
    return " ".join(out).strip()


_HAS_WORD = re.compile(r"\w", re.UNICODE)


def split_words(text: str) -> list[tuple[int, int, str]]:
    """Whitespace tokens of ``text`` as (start, end, text); punctuation-only tokens are
    joined to the previous word (or the next one at the start) so every token is spoken."""
    raw = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    out: list[tuple[int, int, str]] = []
    pending: tuple[int, str] | None = None
    for start, end, tok in raw:
        if not _HAS_WORD.search(tok):
            if out:
                s, _, t = out[-1]
                out[-1] = (s, end, f"{t} {tok}")
            else:
                pending = (start, tok if pending is None else f"{pending[1]} {tok}")
            continue
        if pending is not None:
            start, tok = pending[0], f"{pending[1]} {tok}"
            pending = None
        out.append((start, end, tok))
    return out
