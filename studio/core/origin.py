"""Where an imported piece came from, as the creator declares it (issue 15).

A script, picture, clip, voice recording or music bed the creator brings into the
project was either made with an AI tool outside Studio Lokal (ChatGPT, Gemini, Bing
Image Creator...) or is their own work. ``Origin`` records that declaration on the
asset; ``pipeline.provenance.log_declared`` writes it to the AI log as the actor
``declared`` (AI used elsewhere, declared by the creator) or ``human`` (own work), kept
apart from the calls the app itself made. The report, the end card and the "uses AI"
rule read it from there.

Pure Python: no Qt, no heavy imports. ``core.project`` holds ``Origin`` on assets.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from studio.core.errors import UsageError

OriginKind = Literal["ai", "own"]

KNOWN_TOOLS: tuple[str, ...] = (
    "ChatGPT", "Gemini", "Meta AI", "Copilot / Bing Image Creator", "Canva", "CapCut", "Midjourney",
    "Leonardo", "ElevenLabs")
"""The AI tools creators most often use, offered by name; any other may be typed."""

_ALIASES: dict[str, str] = {
    "chat gpt": "ChatGPT", "openai": "ChatGPT", "gpt": "ChatGPT", "google gemini": "Gemini", "bard": "Gemini",
    "meta": "Meta AI", "copilot": "Copilot / Bing Image Creator", "bing": "Copilot / Bing Image Creator",
    "bing image creator": "Copilot / Bing Image Creator", "microsoft copilot": "Copilot / Bing Image Creator",
    "leonardo ai": "Leonardo", "leonardo.ai": "Leonardo", "eleven labs": "ElevenLabs", "canva ai": "Canva",
}

OWN_WORK_ID = "Karya saya sendiri"
OWN_WORK_EN = "My own work"
DECLARED_ID = "dinyatakan pembuat"
DECLARED_EN = "declared by the creator"
MAX_TOOL_CHARS = 200


class Origin(BaseModel):
    """The creator's declaration for one imported piece.

    ``kind`` ``ai``: made with ``tool`` (required), optionally naming the ``model`` and the
    ``prompt`` used there. ``own``: the creator's own work (``tool`` stays empty).
    ``core.validate`` refuses a loaded project whose declaration breaks these rules.
    """

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    kind: OriginKind
    tool: str = ""
    model: str = ""
    prompt: str = ""

    @property
    def is_ai(self) -> bool:
        return self.kind == "ai"

    def label(self, language: str = "id") -> str:
        """``AI: ChatGPT (GPT-4o)`` or ``Karya saya sendiri`` / ``My own work``."""
        if self.kind == "own":
            return OWN_WORK_ID if language == "id" else OWN_WORK_EN
        model = self.model.strip()
        extra = f" ({model})" if model and model.lower() not in self.tool.lower() else ""
        return f"AI: {self.tool}{extra}"

    def problem(self) -> tuple[str, str] | None:
        """(English, Indonesian) sentence parts saying what is wrong, or None when it is sound."""
        if self.kind == "ai" and not self.tool.strip():
            return ("says 'made with AI' but names no tool", "menyatakan 'dibuat dengan AI' tanpa nama alat")
        if self.kind == "own" and (self.tool.strip() or self.model.strip()):
            return ("says 'my own work' but also names an AI tool",
                    "menyatakan 'karya sendiri' tetapi juga menyebut alat AI")
        if len(self.tool) > MAX_TOOL_CHARS:
            return (f"names a tool longer than {MAX_TOOL_CHARS} characters",
                    f"menyebut nama alat lebih dari {MAX_TOOL_CHARS} karakter")
        return None


def canonical_tool(name: str) -> str:
    """The offered spelling of a known tool (``chatgpt`` → ``ChatGPT``, ``bing`` → ``Copilot /
    Bing Image Creator``); any other name as typed, trimmed. Empty → UsageError."""
    text = " ".join(str(name).split())
    if not text:
        raise UsageError("Name the AI tool the piece was made with (for example ChatGPT).",
                         "Sebutkan alat AI yang dipakai untuk membuatnya (misalnya ChatGPT).")
    if len(text) > MAX_TOOL_CHARS:
        raise UsageError(f"The tool name is longer than {MAX_TOOL_CHARS} characters; shorten it.",
                         f"Nama alat lebih dari {MAX_TOOL_CHARS} karakter; persingkat.")
    lowered = text.lower()
    for tool in KNOWN_TOOLS:
        if lowered == tool.lower():
            return tool
    return _ALIASES.get(lowered, text)


def made_with_ai(tool: str, model: str = "", prompt: str = "") -> Origin:
    """A declaration "made with ``tool``" (a known tool's name is spelled as offered)."""
    return Origin(kind="ai", tool=canonical_tool(tool), model=" ".join(model.split()), prompt=prompt.strip())


def own_work() -> Origin:
    """A declaration "my own work"."""
    return Origin(kind="own")


def origin_from_choice(ai_tool: str | None, own: bool, *, model: str = "", prompt: str = "") -> Origin | None:
    """The declaration a command line or form gives: ``ai_tool`` or ``own`` (not both), or
    None when the creator said nothing."""
    if ai_tool is not None and own:
        raise UsageError("Choose one: made with an AI tool, or your own work — not both.",
                         "Pilih salah satu: dibuat dengan alat AI, atau karya sendiri — jangan keduanya.")
    if own:
        return own_work()
    if ai_tool is not None:
        return made_with_ai(ai_tool, model, prompt)
    return None


__all__ = ["DECLARED_EN", "DECLARED_ID", "KNOWN_TOOLS", "OWN_WORK_EN", "OWN_WORK_ID", "Origin", "OriginKind",
           "canonical_tool", "made_with_ai", "origin_from_choice", "own_work"]
