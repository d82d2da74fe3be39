"""Hostile files: shared project zips, project.json that points elsewhere, is huge or nested
thousands deep, code that could run what a project says, and file names made from titles.

Every refusal is checked the same way: the StudioError subclass, an English sentence that
names the file, the Indonesian text, and nothing left behind (no target folder, no staging
folder, nothing written outside).
"""

from __future__ import annotations

import ast
import json
import re
import stat
import struct
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from studio.cli import main
from studio.core import bundle, storage
from studio.core.errors import (
    DiskFullError,
    EngineUnavailable,
    MediaError,
    ProjectError,
    ProjectFormatError,
    ProjectTooNewError,
    StudioError,
    UnsafePathError,
)
from studio.core.hashing import file_sha256
from studio.core.project import SCHEMA_VERSION, ImageAsset, Project, Scene
from studio.pipeline.images.step import import_own_image
from studio.core.paths import slugify

STUDIO = Path(__file__).resolve().parents[2] / "studio"


# ---------------------------------------------------------------- helpers


def _project_files(root: Path) -> Project:
    """A small saved project with one real picture, like a creator's folder."""
    project = Project()
    project.brief.title = "Tari Saman"
    project.brief.region = "Aceh"
    project.scenes = [Scene(id="s1", narration="Tari Saman berasal dari Gayo."),
                      Scene(id="s2", narration="Penarinya duduk berbaris.")]
    storage.create_project(root, project)
    pic = root / "images" / "s1.jpg"
    Image.new("RGB", (72, 128), (180, 90, 40)).save(pic)
    project.scenes[0].image = ImageAsset(path="images/s1.jpg", origin="own", sha256=file_sha256(pic))
    storage.save_project(root, project)
    return project


def _project_json(**changes: object) -> bytes:
    data = json.loads(storage.dump_project(Project()))
    data.update(changes)
    return json.dumps(data).encode()


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def _unix_entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def _assert_nothing_left(tmp: Path, dest: Path, before: set[str]) -> None:
    assert not dest.exists(), "a refused archive must not create the target folder"
    after = {p.name for p in dest.parent.iterdir()}
    assert after == before, f"left behind: {sorted(after - before)}"


def _assert_sentence(exc: StudioError, zip_name: str) -> None:
    assert zip_name in str(exc), str(exc)
    assert str(exc).rstrip().endswith("."), "the English message is a sentence"
    indonesian = exc.text("id")
    assert zip_name in indonesian and indonesian != str(exc)
    assert re.search(r"\b(tidak|bukan|butuh)\b", indonesian), indonesian


# ---------------------------------------------------------------- shared bundles: good ones open


def test_packed_project_imports_through_the_cli_and_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    _project_files(src)
    (src / "voice" / "s1.wav.part").write_bytes(b"half")  # a leftover is never shared
    zpath = tmp_path / "tari.zip"
    assert bundle.pack_project(src, zpath) >= 2
    dest = tmp_path / "imported"
    assert main(["import-project", str(zpath), str(dest)]) == 0
    out = capsys.readouterr().out
    assert "Imported project 'Tari Saman'" in out
    project = storage.load_project(dest)
    assert [s.id for s in project.scenes] == ["s1", "s2"]
    assert file_sha256(dest / "images" / "s1.jpg") == project.scenes[0].image.sha256
    assert not (dest / "voice" / "s1.wav.part").exists()
    assert not [p for p in tmp_path.iterdir() if ".importing-" in p.name]


def test_zipped_project_folder_with_finder_junk_imports(tmp_path: Path) -> None:
    """Zipping the folder itself ("Tari Saman/project.json") is the common way; macOS adds
    __MACOSX/ which is not part of the project and is not extracted."""
    zpath = _zip(tmp_path / "shared.zip", [
        ("Tari Saman/project.json", _project_json()),
        ("Tari Saman/script/notes.txt", b"catatan"),
        ("__MACOSX/Tari Saman/._project.json", b"junk"),
    ])
    dest = tmp_path / "out"
    dest.mkdir()  # an empty folder is accepted
    result = bundle.import_project(zpath, dest)
    assert (dest / "script" / "notes.txt").read_bytes() == b"catatan"
    assert not (dest / "__MACOSX").exists() and not (dest / "Tari Saman").exists()
    assert result.files == 2


# ---------------------------------------------------------------- shared bundles: hostile ones are refused


HOSTILE = {
    "dotdot": ("../evil.txt", None),
    "dotdot_nested": ("images/../../evil.txt", None),
    "backslash_dotdot": ("images\\..\\..\\evil.txt", None),
    "absolute": ("/tmp/studio-evil.txt", None),
    "drive": ("C:\\Windows\\evil.txt", None),
    "unc": ("//server/share/evil.txt", None),
    "symlink": ("images/link.jpg", stat.S_IFLNK | 0o777),
    "char_device": ("images/tty", stat.S_IFCHR | 0o666),
    "block_device": ("images/sda", stat.S_IFBLK | 0o660),
    "fifo": ("voice/pipe", stat.S_IFIFO | 0o644),
    "ads": ("project.json:evil", None),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_entry_refuses_the_whole_archive(tmp_path: Path, case: str) -> None:
    name, mode = HOSTILE[case]
    entry: zipfile.ZipInfo | str = _unix_entry(name, mode) if mode else name
    payload = b"/etc/passwd" if case == "symlink" else b"evil"
    zpath = _zip(tmp_path / "bagikan.zip", [("project.json", _project_json()), (entry, payload)])
    work = tmp_path / "work"
    work.mkdir()
    dest = work / "proyek"
    with pytest.raises(UnsafePathError) as err:
        bundle.import_project(zpath, dest)
    _assert_sentence(err.value, "bagikan.zip")
    assert repr(name) in str(err.value) or name in str(err.value)
    _assert_nothing_left(tmp_path, dest, set())
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/studio-evil.txt").exists()


def test_cli_refuses_zip_slip_with_one_line_and_exit_2(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    zpath = _zip(tmp_path / "slip.zip", [("project.json", _project_json()),
                                         ("../../escaped.txt", b"x")])
    dest = tmp_path / "a" / "b"
    assert main(["import-project", str(zpath), str(dest)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: slip.zip was not opened") and "\n" not in err
    assert not dest.exists() and not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "a").exists(), "the parent folder made for the import is removed too"


def test_encrypted_and_doubled_entries_are_refused(tmp_path: Path) -> None:
    twice = _zip(tmp_path / "twice.zip", [("project.json", _project_json()),
                                          ("images/a.jpg", b"1"), ("IMAGES/A.JPG", b"2")])
    with pytest.raises(UnsafePathError, match="appears twice"):
        bundle.import_project(twice, tmp_path / "d1")
    # zipfile cannot write encrypted entries: set the "encrypted" flag bit in place.
    raw = bytearray(_zip(tmp_path / "enc.zip", [("project.json", _project_json())]).read_bytes())
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 8] |= 0x1
    (tmp_path / "enc.zip").write_bytes(bytes(raw))
    with pytest.raises(UnsafePathError, match="encrypted") as err:
        bundle.import_project(tmp_path / "enc.zip", tmp_path / "d2")
    _assert_sentence(err.value, "enc.zip")
    assert not (tmp_path / "d1").exists() and not (tmp_path / "d2").exists()


def test_deflate_bomb_is_refused_by_ratio_before_writing(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    zeros = bytes(96 * 1024 * 1024)  # deflates ~1000:1 to ~100 KB
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("project.json", _project_json())
        zf.writestr("voice/s1.wav", zeros)
    del zeros
    assert (tmp_path / "bomb.zip").stat().st_size < 2 * 1024 * 1024
    dest = tmp_path / "bomb"
    assert main(["import-project", str(tmp_path / "bomb.zip"), str(dest)]) == 2
    err = capsys.readouterr().err
    assert "bomb.zip was not opened" in err and "inflates" in err
    with pytest.raises(ProjectError) as caught:
        bundle.import_project(tmp_path / "bomb.zip", dest)
    _assert_sentence(caught.value, "bomb.zip")
    assert "bom zip" in caught.value.text("id")
    _assert_nothing_left(tmp_path, dest, {"bomb.zip"})


def test_total_size_and_entry_count_limits(tmp_path: Path) -> None:
    many = _zip(tmp_path / "many.zip", [("project.json", _project_json())]
                + [(f"script/{i}.txt", b"x") for i in range(60)])
    with pytest.raises(ProjectError, match="61 entries") as err:
        bundle.import_project(many, tmp_path / "d", max_files=50)
    _assert_sentence(err.value, "many.zip")
    with pytest.raises(ProjectError, match="MB once unpacked"):
        bundle.import_project(many, tmp_path / "d", max_total_bytes=1000)
    assert not (tmp_path / "d").exists()
    assert bundle.import_project(many, tmp_path / "d").files == 61  # within the real limits


def test_entry_that_inflates_beyond_its_declared_size_is_stopped(tmp_path: Path) -> None:
    """A header can lie about the size. zipfile stops at the declared size and then finds the
    CRC wrong; the extractor's own byte count is a second guard behind that."""
    real = bytes(300_000)
    zpath = _zip(tmp_path / "liar.zip", [("project.json", _project_json()), ("script/big.txt", real)])
    raw = bytearray(zpath.read_bytes())
    small = struct.pack("<I", 1000)
    # Declared uncompressed size: local header offset 22, central directory offset 24.
    local = raw.find(b"script/big.txt") - 30
    raw[local + 22:local + 26] = small
    central = raw.rfind(b"script/big.txt") - 46
    raw[central + 24:central + 28] = small
    zpath.write_bytes(bytes(raw))
    dest = tmp_path / "liar"
    with pytest.raises(ProjectError) as err:
        bundle.import_project(zpath, dest)
    assert "liar.zip is damaged" in str(err.value) and "rusak" in err.value.text("id")
    assert not dest.exists() and not [p for p in tmp_path.iterdir() if ".importing-" in p.name]


def test_project_inside_the_zip_is_refused_as_load_refuses_it(tmp_path: Path) -> None:
    newer = _zip(tmp_path / "newer.zip", [("project.json", _project_json(schema_version=SCHEMA_VERSION + 1))])
    with pytest.raises(ProjectTooNewError) as err:
        bundle.import_project(newer, tmp_path / "baru" / "n")  # refused after unpacking
    assert "newer Studio Lokal" in str(err.value) and "lebih baru" in err.value.text("id")
    data = json.loads(_project_json())
    data["scenes"] = [{"id": "s1", "image": {"path": "../../../home/user/.ssh/id_rsa", "origin": "own"}}]
    outside = _zip(tmp_path / "outside.zip", [("project.json", json.dumps(data).encode())])
    with pytest.raises(UnsafePathError) as err2:
        bundle.import_project(outside, tmp_path / "o")
    assert "outside its folder" in str(err2.value) and "di luar folder" in err2.value.text("id")
    _assert_nothing_left(tmp_path, tmp_path / "o", {"newer.zip", "outside.zip"})
    assert not (tmp_path / "baru").exists(), "the staging copy and the folder made for it are gone"


def test_not_a_zip_no_project_and_taken_folder(tmp_path: Path) -> None:
    (tmp_path / "foto.zip").write_bytes(b"\xff\xd8\xff\xe0 this is a JPEG renamed")
    with pytest.raises(ProjectError, match="not a zip file") as err:
        bundle.import_project(tmp_path / "foto.zip", tmp_path / "x")
    _assert_sentence(err.value, "foto.zip")
    empty = _zip(tmp_path / "lagu.zip", [("lagu.mp3", b"ID3")])
    with pytest.raises(ProjectError, match="does not contain a Studio Lokal project"):
        bundle.import_project(empty, tmp_path / "x")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("keep me")
    good = _zip(tmp_path / "good.zip", [("project.json", _project_json())])
    with pytest.raises(ProjectError, match="not empty"):
        bundle.import_project(good, taken)
    assert [p.name for p in taken.iterdir()] == ["mine.txt"]
    assert not (tmp_path / "x").exists()


def test_import_onto_a_full_disk_is_refused_before_writing(tmp_path: Path, small_disk: Path) -> None:
    """small_disk (conftest-free fixture below): a 3 MB tmpfs."""
    import os

    zpath = _zip(tmp_path / "besar.zip", [("project.json", _project_json())])
    with zipfile.ZipFile(zpath, "a", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("render/video.mp4", os.urandom(5 * 1024 * 1024))
    dest = small_disk / "proyek"
    with pytest.raises(DiskFullError) as err:
        bundle.import_project(zpath, dest)
    _assert_sentence(err.value, "besar.zip")
    assert list(small_disk.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    import subprocess

    mnt = tmp_path / "small"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(mnt)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True, check=False)


# ---------------------------------------------------------------- nothing in a project runs code


def test_engine_named_in_a_project_must_be_a_known_engine(tmp_path: Path) -> None:
    from studio.core.settings import Settings
    from studio.pipeline import steps

    root = tmp_path / "p"
    _project_files(root)
    data = json.loads((root / "project.json").read_text(encoding="utf-8"))
    data["voice"]["engine"] = "os:system"
    (root / "project.json").write_text(json.dumps(data), encoding="utf-8")
    project = storage.load_project(root)
    with pytest.raises(EngineUnavailable) as err:
        steps.prepare("voice", project, root, Settings())
    assert "no engine called 'os:system'" in str(err.value) and "Tidak ada mesin" in err.value.text("id")


def _dangers(source: str, filename: str = "<src>") -> list[str]:
    """Calls that run a shell, evaluate text, or unpickle (code execution from data)."""
    found: list[str] = []
    tree = ast.parse(source, filename)
    unpicklers = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for n in names:
                if n.split(".")[0] in unpicklers:
                    found.append(f"{where} imports {n}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        dotted = ast.unparse(func)
        kw = {k.arg: k.value for k in node.keywords}
        if "shell" in kw and not (isinstance(kw["shell"], ast.Constant) and kw["shell"].value is False):
            found.append(f"{where} {dotted}(shell=...)")
        if dotted in ("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                      "commands.getoutput", "pty.spawn"):
            found.append(f"{where} {dotted}()")
        if isinstance(func, ast.Name) and func.id in ("eval", "exec", "compile", "__import__"):
            found.append(f"{where} {func.id}()")
        if dotted in ("builtins.eval", "builtins.exec"):
            found.append(f"{where} {dotted}()")
        if dotted.endswith("torch.load"):
            wo = kw.get("weights_only")
            if not (isinstance(wo, ast.Constant) and wo.value is True):
                found.append(f"{where} torch.load without weights_only=True")
        if dotted in ("yaml.load", "yaml.unsafe_load", "numpy.load", "np.load"):
            ap = kw.get("allow_pickle")
            if dotted.startswith(("numpy", "np")):
                if ap is not None and not (isinstance(ap, ast.Constant) and ap.value is False):
                    found.append(f"{where} {dotted}(allow_pickle=...)")
            else:
                found.append(f"{where} {dotted}()")
        tr = kw.get("trust_remote_code")
        if tr is not None and not (isinstance(tr, ast.Constant) and tr.value is False):
            found.append(f"{where} {dotted}(trust_remote_code=...)")
    return found


def test_the_scanner_finds_each_danger() -> None:
    """The scan below must be able to fail: each pattern is caught in a snippet."""
    snippets = {
        "import subprocess\nsubprocess.run('ls', shell=True)": "shell",
        "import subprocess\nsubprocess.Popen(cmd, shell=flag)": "shell",
        "import os\nos.system('ls')": "os.system",
        "import os\nos.popen('ls')": "os.popen",
        "eval(text)": "eval",
        "exec(code)": "exec",
        "import pickle\npickle.load(f)": "pickle",
        "from pickle import loads": "pickle",
        "import torch\ntorch.load(p)": "torch.load",
        "import torch\ntorch.load(p, weights_only=False)": "torch.load",
        "import yaml\nyaml.load(s)": "yaml.load",
        "m = Auto.from_pretrained(p, trust_remote_code=True)": "trust_remote_code",
        "import numpy as np\nnp.load(p, allow_pickle=True)": "allow_pickle",
    }
    for source, word in snippets.items():
        hits = _dangers(source)
        assert hits and any(word in h for h in hits), (source, hits)
    safe = ("import subprocess, torch\nsubprocess.run(['ffmpeg', '-i', p], shell=False)\n"
            "torch.load(p, weights_only=True)\nmodel.eval()\napp.exec()\nnp.load(p)\n")
    assert _dangers(safe) == []


def test_studio_never_runs_a_shell_evaluates_text_or_unpickles() -> None:
    files = sorted(STUDIO.rglob("*.py"))
    assert len(files) > 50
    found: list[str] = []
    for path in files:
        found += _dangers(path.read_text(encoding="utf-8"), str(path.relative_to(STUDIO.parent)))
    assert found == [], "\n".join(found)


# ---------------------------------------------------------------- file names from titles


HOSTILE_TITLES = [
    "../../etc/passwd", "..\\..\\Windows\\System32", "/abs/path", "C:\\Users\\x", "a\x00b.mp4",
    "CON", "con.mp4", "Nul", "COM1", "lpt9", "aux", "PRN.txt", "x" * 5000, "🎉🪔🎊", "   ",
    ".", "..", "...mp4", "مرحبا بالعالم", "תרבות", "Tari\u202eSaman", "a<b>c:d\"e|f?g*h",
    "-rf --no-preserve-root", "~user", "$(reboot)", "`id`", "Petik Laut — Muncar 🎉 2025!",
    "\u0000\u0001\u001f", "Z\u0351\u0352\u0353algo",
]
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_slugify_makes_a_safe_file_name_from_any_title(tmp_path: Path, title: str) -> None:
    slug = slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 60 + len("-video")
    assert slug.split(".")[0] not in WINDOWS_RESERVED
    target = tmp_path / f"{slug}.mp4"
    assert target.parent == tmp_path
    target.write_bytes(b"")  # the name really is creatable
    assert target.exists()


def test_slugify_keeps_readable_titles_and_falls_back() -> None:
    assert slugify("Petik Laut — Muncar 🎉 2025!") == "petik-laut-muncar-2025"
    assert slugify("Tari Saman") == "tari-saman"
    assert slugify("🎉🪔", "proyek-video") == "proyek-video"
    assert slugify("CON") == "con-video"
    assert slugify("../../etc/passwd") == "etc-passwd"


def test_scene_ids_in_a_project_cannot_name_files_outside(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _project_files(root)
    for bad in ("../s1", "s1/../../x", "CON\x00", "", "a" * 65, "s 1", "🎉"):
        data = json.loads((root / "project.json").read_text(encoding="utf-8"))
        data["scenes"][1]["id"] = bad
        text = json.dumps(data)
        with pytest.raises(StudioError) as err:
            storage.parse_project(text)
        assert "scenes.1.id" in str(err.value) and "tidak sah" in err.value.text("id")


# ---------------------------------------------------------------- huge or deeply nested files are refused unread


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _says(exc: StudioError, name: str) -> None:
    en, ind = str(exc), exc.text("id")
    assert name in en and en.rstrip().endswith("."), en
    assert name in ind and ind != en, ind


def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def test_huge_files_picked_by_mistake_are_refused_without_reading_them(tmp_path: Path) -> None:
    """A 2 GB video chosen as a photo or as subtitles (sparse here: no disk used) is refused
    from its size; nothing is read into memory."""
    from studio.pipeline.subtitles.files import read_subtitles

    root = tmp_path / "p"
    project = _project_files(root)
    before = _tree(root)
    big = _sparse(tmp_path / "rekaman.jpg", 2 * 1024**3, b"\xff\xd8\xff\xe0")
    tracemalloc.start()
    try:
        with pytest.raises(MediaError) as err:
            import_own_image(project, root, "s1", big)
        with pytest.raises(MediaError) as err2:
            read_subtitles(_sparse(tmp_path / "film.srt", 2 * 1024**3, b"1\n"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _says(err.value, "rekaman.jpg")
    _says(err2.value, "film.srt")
    assert "2048 MB" in str(err2.value) and "2048 MB" in err2.value.text("id")
    assert peak < 20 * 1024**2
    assert _tree(root) == before


def test_project_json_huge_or_nested_deeply_is_refused_not_crashed(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "p"
    _project_files(root)
    path = root / "project.json"
    deep = '{"format": "studio.project", "brief": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(ProjectFormatError) as err:
        storage.parse_project(deep)
    _says(err.value, "project.json")
    assert "nested too deeply" in str(err.value) and "terlalu dalam" in err.value.text("id")
    path.write_text(deep, encoding="utf-8")
    assert main(["status", str(root)]) == 2
    assert "nested too deeply" in capsys.readouterr().err
    _sparse(path, 3 * 1024**3, b"{")
    with pytest.raises(ProjectFormatError) as err2:
        storage.load_project(root)
    _says(err2.value, "project.json")
    assert "3072 MB" in str(err2.value) and path.stat().st_size == 3 * 1024**3
