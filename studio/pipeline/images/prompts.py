"""Safety rules for image prompts: no identifiable real people, sacred things shown with respect.

A public-service video must not put a real person's face on screen without consent,
nor show a ceremony's offerings or a pusaka as a curiosity. Whatever wrote the scene's
image prompt (the creator, a template, a language model), ``safe_image_prompt`` rewrites
it before it reaches an image model:

* a titled name ("President ...", "Bupati ...", "Pak ...", "Sultan ...") and the brief's
  own people (the creator) become a generic role ("a local official", "a local resident");
* a prompt with people in it that does not already keep them unrecognisable gets
  "seen from behind or from afar, faces not visible";
* a prompt with something sacred (a temple, offerings, a keris pusaka, a ceremony) gets
  "treated with respect, intact and in its proper place";
* the negative prompt always excludes portraits and recognisable faces, and, for sacred
  things, damage, mockery and horror styling.

The rules are words, so they are cheap, predictable and easy to read; a model's own
safety checker (when it has one) is a second line, recorded by the images step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.core.project import Brief

PEOPLE = re.compile(
    r"\b(people|person|persons|man|men|woman|women|boy|boys|girl|girls|child|children|kids?|family|families|"
    r"farmers?|villagers?|elders?|dancers?|musicians?|artisans?|craftsm[ae]n|craftspeople|craftsperson|weavers?|"
    r"carvers?|vendors?|sellers?|traders?|students?|teachers?|priests?|monks?|bride|groom|couple|crowd|workers?|"
    r"fisherm[ae]n|grandmother|grandfather|mother|father|parents?|performers?|players?|officials?|leaders?|"
    r"portrait|faces?|selfie)\b", re.IGNORECASE)
DISTANT = re.compile(
    r"\b(from behind|from the back|from afar|from a distance|silhouettes?|no faces?|faces? not visible|"
    r"no identifiable|seen from above|hands only|only hands|small in the frame|no people|back view)\b",
    re.IGNORECASE)
SACRED = re.compile(
    r"\b(temples?|pura|mosques?|masjid|church(es)?|gereja|shrines?|altars?|offerings?|canang( sari)?|sesajen|"
    r"banten|keris|kris|pusaka|heirlooms?|qur'?an|al-?qur'?an|bible|prayers?|worship|rituals?|ceremon(y|ies)|"
    r"sacred|holy|tombs?|graves?|makam|sesaji|tumpeng)\b", re.IGNORECASE)
_TITLES = {
    "a local official": r"President|Presiden|Vice President|Governor|Gubernur|Regent|Bupati|Mayor|Wali ?kota|"
                        r"Minister|Menteri|Camat|Lurah|Kepala Desa|Village Head",
    "a figure in traditional royal attire": r"Sultan|Sri Sultan|King|Raja|Queen|Ratu|Prince|Princess|Pangeran|"
                                            r"Putri|Raden|Raden Ajeng|Raden Mas|Gusti|Kanjeng",
    "a religious teacher": r"Kyai|Kiai|Ustadz|Ustaz|Habib|Pastor|Romo|Pedanda|Haji|Hajjah",
    "a local resident": r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pak|Bu|Bapak|Ibu|Mbah|Ki|Nyi|Mas|Mbak|Bli|Uda|Abang",
}
_NAME = r"(?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,3}"
TITLED = [(role, re.compile(rf"\b(?:{titles})\s+{_NAME}")) for role, titles in _TITLES.items()]

DISTANCE_PHRASE = "people seen from behind or from afar, faces not visible"
RESPECT_PHRASE = "treated with respect, intact and in its proper place, calm dignified mood"
PEOPLE_NEGATIVE = "portrait, close-up of a face, recognizable face, identifiable person, celebrity"
SACRED_NEGATIVE = "disrespectful, mocking, damaged, broken, trampled, on the floor, horror, spooky"


@dataclass(frozen=True)
class SafePrompt:
    prompt: str
    negative: str
    changes: tuple[str, ...]
    """What the rules changed, in Indonesian, for the AI log (empty when nothing changed)."""


def _people_names(brief: Brief | None) -> list[str]:
    if brief is None:
        return []
    return [n.strip() for n in (brief.creator,) if n and len(n.strip()) >= 3]


def safe_image_prompt(prompt: str, brief: Brief | None = None) -> SafePrompt:
    """``prompt`` with the safety rules applied, the negative terms they need, and what changed."""
    text = " ".join(prompt.split())
    changes: list[str] = []
    for role, pattern in TITLED:
        text, n = pattern.subn(role, text)
        if n:
            changes.append(f"nama orang diganti '{role}'")
    for name in _people_names(brief):
        text, n = re.subn(rf"\b{re.escape(name)}\b", "a local resident", text, flags=re.IGNORECASE)
        if n:
            changes.append("nama kreator dihapus dari prompt gambar")
    negatives = []
    has_people = bool(PEOPLE.search(text)) or any(c.startswith("nama") for c in changes)
    if has_people:
        negatives.append(PEOPLE_NEGATIVE)
        if not DISTANT.search(text):
            text = f"{text.rstrip(' .,')}, {DISTANCE_PHRASE}"
            changes.append("orang ditampilkan dari belakang atau dari jauh")
    if SACRED.search(text):
        negatives.append(SACRED_NEGATIVE)
        if "respect" not in text.lower():
            text = f"{text.rstrip(' .,')}, {RESPECT_PHRASE}"
            changes.append("benda atau upacara sakral ditampilkan dengan hormat")
    else:
        negatives.append("")
    if not has_people:
        # Even a landscape can sprout a face; keep portraits out everywhere.
        negatives.insert(0, "portrait, close-up of a face")
    return SafePrompt(text, ", ".join(n for n in negatives if n), tuple(dict.fromkeys(changes)))
