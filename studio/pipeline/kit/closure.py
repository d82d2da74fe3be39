"""Which installed distributions studio needs, transitively, with their exact versions.

Read from the installed metadata (``importlib.metadata``), not from pyproject ranges:
the kit must hold exactly what runs on the trainer's machine, so laptops installed
from it behave the same. ``path`` points the lookup at another site folder (tests).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from studio.core.errors import UsageError

ROOT = "studio-lokal"
"""The distribution name of the app itself (pyproject's ``[project] name``)."""


@dataclass(frozen=True)
class Dist:
    """One installed distribution the kit must carry."""

    name: str
    """The canonical name (lower case, dashes), as pip and ``kit.json`` spell it."""
    version: str
    required_by: str
    """Who pulled it in (``""`` for the root): named when it cannot be found."""
    source: Path | None = None
    """A local source folder (an editable or ``pip install DIR`` install), built with ``pip wheel``."""


def canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def _source_folder(dist: object) -> Path | None:
    """The folder an install came from, when ``direct_url.json`` says it was a local directory."""
    try:
        text = dist.read_text("direct_url.json")  # type: ignore[attr-defined]
        data = json.loads(text) if text else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or "dir_info" not in data:
        return None
    url = urlparse(str(data.get("url", "")))
    return Path(unquote(url.path)) if url.scheme == "file" else None


def installed(path: Sequence[str] | None = None) -> dict[str, object]:
    """Installed distributions by canonical name; the first on the path wins, as for imports."""
    from importlib import metadata

    found: dict[str, object] = {}
    found_in = metadata.distributions(path=list(path)) if path is not None else metadata.distributions()
    for dist in found_in:
        name = dist.metadata["Name"]
        if name and canonical(name) not in found:
            found[canonical(name)] = dist
    return found


def dependency_closure(root: str = ROOT, extras: Sequence[str] = (), *,
                       path: Sequence[str] | None = None) -> list[Dist]:
    """``root`` and everything it requires (with ``extras``), as installed here, root first.

    Requirements whose environment marker does not hold on this machine (another OS,
    another Python, an extra not asked for) are left out, as pip would leave them out.

    Raises:
        UsageError: The root or something it requires is not installed (named in the message).
    """
    from packaging.requirements import Requirement

    dists = installed(path)
    order: list[Dist] = []
    seen: dict[str, set[str]] = {}
    queue: list[tuple[str, frozenset[str], str]] = [(canonical(root), frozenset(extras), "")]
    while queue:
        name, want_extras, parent = queue.pop(0)
        if name in seen and want_extras <= seen[name]:
            continue
        dist = dists.get(name)
        if dist is None:
            who = f", which {parent} requires," if parent else ""
            raise UsageError(f"The package {name}{who} is not installed here, so it cannot go into the kit.",
                             f"Paket {name}{' yang dibutuhkan ' + parent if parent else ''} tidak terpasang "
                             "di sini, jadi tidak bisa dimasukkan ke kit.")
        if name not in seen:
            order.append(Dist(name, dist.version, parent, _source_folder(dist)))  # type: ignore[attr-defined]
        seen[name] = seen.get(name, set()) | set(want_extras)
        for text in dist.requires or ():  # type: ignore[attr-defined]
            req = Requirement(text)
            envs = [{"extra": e} for e in sorted(want_extras)] or [{"extra": ""}]
            if req.marker is not None and not any(req.marker.evaluate(env) for env in envs):
                continue
            queue.append((canonical(req.name), frozenset(req.extras), name))
    return order
