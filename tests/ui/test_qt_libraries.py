"""The window opens on a fresh machine: every system library Qt's xcb platform plugin and its
multimedia plugins load is installed by the README's apt line, and when one is missing
``studio`` says which, with the command that installs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studio.ui.app import APT_LINE, platform_plugin_problem

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and xcb are Linux's")


def _plugins() -> list[Path]:
    import PySide6

    root = Path(PySide6.__file__).parent / "Qt" / "plugins"
    found = [root / "platforms" / "libqxcb.so", root / "platforms" / "libqoffscreen.so"]
    found += sorted((root / "multimedia").glob("*.so")) + sorted((root / "xcbglintegrations").glob("*.so"))
    return [p for p in found if p.is_file()]


def test_every_library_the_window_plugins_load_is_installed() -> None:
    # ldd ships with glibc (Debian's libc-bin), so it is on every machine this test guards; without
    # it the README's apt line would go unchecked, which must fail rather than pass silently.
    assert shutil.which("ldd"), "ldd (glibc's libc-bin) is missing: the Qt plugins' libraries cannot be checked"
    plugins = _plugins()
    assert any(p.name == "libqxcb.so" for p in plugins) and any("ffmpeg" in p.name for p in plugins)
    missing = {}
    for plugin in plugins:
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
        gone = [line.split("=>")[0].strip() for line in out.splitlines() if "not found" in line]
        if gone:
            missing[plugin.name] = gone
    assert missing == {}, f"not installed (add the Debian package to the README's apt line): {missing}"


def test_the_apt_line_in_the_message_is_the_readmes() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for package in APT_LINE.split()[3:]:
        assert f" {package} " in readme, package


def test_a_missing_library_is_one_sentence_naming_it(tmp_path) -> None:
    import PySide6

    # The plugin away from Qt's own libraries: loading it fails on a library it needs, exactly
    # as on a machine without libxcb-icccm4 (there the name is that library's).
    copy = tmp_path / "libqxcb.so"
    shutil.copy(Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so", copy)
    problem = platform_plugin_problem(copy)
    assert problem is not None and problem.startswith("Jendela Studio Lokal tidak bisa dibuka: pustaka sistem lib")
    assert "sudo apt-get install" in problem and "\n" not in problem
    assert platform_plugin_problem(Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms"
                                   / "libqoffscreen.so") is None


def test_studio_prints_the_sentence_instead_of_aborting(tmp_path, monkeypatch, capsys) -> None:
    """``run_gui`` on a machine whose xcb plugin cannot load: exit 2 and one line, and Qt is
    never asked to start (it would abort the process)."""
    import PySide6

    import studio.ui.app as app

    copy = tmp_path / "libqxcb.so"
    shutil.copy(Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so", copy)
    real = app.platform_plugin_problem
    monkeypatch.setattr(app, "platform_plugin_problem", lambda plugin=None: real(copy))
    monkeypatch.setattr(app, "create_app", lambda argv=None: pytest.fail("Qt was started"))
    assert app.run_gui([]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "apt-get install" in err and "Traceback" not in err
