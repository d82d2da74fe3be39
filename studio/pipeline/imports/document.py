"""Reading a script file the creator wrote elsewhere: plain text, Markdown or a Word .docx.

A .docx is a zip holding ``word/document.xml``; its paragraphs (``w:p``) and their text runs
(``w:t``, tabs, line breaks) are read with ``zipfile`` and ``xml.etree`` from the standard
library, so no new dependency is needed. Text files must be UTF-8 (a byte-order mark is
fine): a file saved as Windows-1252 (the old Notepad default) is refused with a sentence
saying how to save it again, rather than guessed at and imported with broken letters.

Every refusal is a ``MediaError`` whose message is a sentence in English and Indonesian;
nothing here touches the project.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from studio.core.errors import MediaError

SCRIPT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".docx")
MAX_FILE_BYTES = 20 * 1024 * 1024
"""A script file larger than this is not a script (a 90 s narration is about 1 500 characters)."""
MAX_XML_BYTES = 50 * 1024 * 1024
"""Unpacked size of ``word/document.xml`` read at most (a zip bomb stops here)."""
MAX_TEXT_CHARS = 100_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _refuse(en: str, id_: str) -> MediaError:
    return MediaError(en, id_)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` (BOM dropped); a Windows-1252 or other non-UTF-8 file is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        looks = ""
        try:
            sample = data[max(0, exc.start - 12): exc.start + 12].decode("cp1252")
            looks = f" (it looks like Windows-1252: \"…{sample.strip()}…\")"
        except UnicodeDecodeError:
            pass
        raise _refuse(
            f"{name} is not saved as UTF-8 text{looks}: byte 0x{byte:02x} at position {exc.start} is not "
            "UTF-8. Open it in a text editor, save it again with the encoding UTF-8 (in Notepad: Save "
            "As, Encoding: UTF-8), then import it again. The project was not changed.",
            f"{name} tidak disimpan sebagai teks UTF-8: bita 0x{byte:02x} di posisi {exc.start} bukan "
            "UTF-8. Buka di penyunting teks, simpan ulang dengan pengodean UTF-8 (di Notepad: Simpan "
            "Sebagai, Pengodean: UTF-8), lalu impor lagi. Proyek tidak diubah.") from None
    if "\x00" in text:
        raise _refuse(f"{name} holds binary data, not text; choose the script file itself. The project was "
                      "not changed.",
                      f"{name} berisi data biner, bukan teks; pilih berkas naskahnya. Proyek tidak diubah.")
    return text


def _not_docx(name: str, why: str, why_id: str) -> MediaError:
    return _refuse(
        f"{name} is not a Word document ({why}). Save it from Word or LibreOffice as .docx, or copy the "
        "text and paste it instead. The project was not changed.",
        f"{name} bukan dokumen Word ({why_id}). Simpan dari Word atau LibreOffice sebagai .docx, atau "
        "salin teksnya lalu tempel. Proyek tidak diubah.")


def _paragraph_text(p: ET.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def docx_text(data: bytes, name: str) -> str:
    """The paragraphs of a .docx, one per line, with a blank line between paragraphs."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            try:
                info = z.getinfo("word/document.xml")
            except KeyError:
                raise _not_docx(name, "it is a zip without word/document.xml",
                                "berkas zip tanpa word/document.xml") from None
            if info.file_size > MAX_XML_BYTES:
                raise _not_docx(name, "its text part unpacks to more than 50 MB",
                                "bagian teksnya lebih dari 50 MB setelah dibuka")
            xml = z.read(info)
    except zipfile.BadZipFile:
        raise _not_docx(name, "it is not a zip file as a .docx is", "bukan berkas zip seperti .docx") from None
    except (OSError, RuntimeError, NotImplementedError, zipfile.LargeZipFile) as exc:
        raise _not_docx(name, f"its zip cannot be read: {exc}", f"zip-nya tidak bisa dibaca: {exc}") from exc
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise _not_docx(name, "its text part declares XML entities, which Word never writes",
                        "bagian teksnya memuat entitas XML, yang tidak pernah ditulis Word")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise _not_docx(name, f"its text part is broken XML: {exc}", f"bagian teksnya XML rusak: {exc}") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise _not_docx(name, "its text part has no body", "bagian teksnya tanpa isi (body)")
    paragraphs = [_paragraph_text(p) for p in body.iter(f"{_W}p")]
    return "\n\n".join(p for p in paragraphs if p.strip())


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|`+|~~)")


def markdown_text(text: str) -> str:
    """Markdown as plain lines: links keep their words, emphasis and code marks go, fenced
    code and HTML comments go; headings stay (``script.blocks`` treats them as scene breaks)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"^```.*?^```[ \t]*$", "", text, flags=re.S | re.M)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub("", text)
    text = re.sub(r"(?<!\w)[*_]([^*_\n]+)[*_](?!\w)", r"\1", text)
    return text


def read_script_file(path: Path) -> str:
    """The text of a script file (.txt, .md or .docx), or MediaError with a sentence."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SCRIPT_SUFFIXES:
        raise _refuse(f"{name} is not a script file Studio Lokal reads; use .txt, .md or .docx, or paste the "
                      "text. The project was not changed.",
                      f"{name} bukan berkas naskah yang bisa dibaca Studio Lokal; pakai .txt, .md atau .docx, "
                      "atau tempel teksnya. Proyek tidak diubah.")
    if not path.is_file():
        raise _refuse(f"{path} does not exist or is not a file.", f"{path} tidak ada atau bukan berkas.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _refuse(f"{name} is larger than 20 MB, far more than any script; choose the script file itself.",
                      f"{name} lebih dari 20 MB, jauh melebihi naskah mana pun; pilih berkas naskahnya.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _refuse(f"{name} cannot be read: {exc.strerror or exc}.",
                      f"{name} tidak bisa dibaca: {exc.strerror or exc}.") from exc
    if suffix == ".docx":
        text = docx_text(data, name)
    else:
        text = decode_text(data, name)
        if suffix in (".md", ".markdown"):
            text = markdown_text(text)
    if len(text) > MAX_TEXT_CHARS:
        raise _refuse(f"{name} holds {len(text):,} characters; a script for a short video has far fewer "
                      f"(the limit is {MAX_TEXT_CHARS:,}).",
                      f"{name} berisi {len(text):,} karakter; naskah video pendek jauh lebih sedikit "
                      f"(batasnya {MAX_TEXT_CHARS:,}).")
    return text
