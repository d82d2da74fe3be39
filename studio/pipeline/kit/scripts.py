"""The kit's two install scripts: ``install.sh`` (Linux) and ``install.ps1`` (Windows).

Each creates a virtual environment, installs the app from the kit's ``wheels/`` only
(``pip --isolated install --no-index``: no index, no pip.conf, no internet), copies the
kit's model folders to where the app looks (``studio.core.paths.models_dir()``, which
honours ``STUDIO_MODELS_DIR``), then runs ``studio kit check`` against the kit.

Wheels are built for one operating system and Python: a script for another system
than the kit was built on says so and stops, instead of failing halfway inside pip.
"""

from __future__ import annotations

_MODELS_DIR = "from studio.core import paths; print(paths.models_dir())"

_SH = r'''#!/bin/sh
# Studio Lokal offline kit ({created}): install from this folder only, without internet.
# Usage: sh install.sh [VENV_DIR]   (default: $HOME/studio-lokal)
set -eu
KIT="$(cd "$(dirname "$0")" && pwd)"
VENV="${{1:-$HOME/studio-lokal}}"
PY="${{PYTHON:-python3}}"
{guard}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == ({major}, {minor}) else 1)' || {{
  echo "This kit needs Python {major}.{minor} (set PYTHON=/path/to/python{major}.{minor})." >&2; exit 1; }}
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip --isolated install --no-index --find-links "$KIT/wheels" "{requirement}"
MODELS="$("$VENV/bin/python" -c '{models_dir}')"
if [ -d "$KIT/models" ]; then
  mkdir -p "$MODELS"
  cp -R "$KIT/models/." "$MODELS/"
fi
echo "Studio Lokal is installed in $VENV; models are in $MODELS."
exec "$VENV/bin/studio" kit check "$KIT"
'''

_PS1 = r'''# Studio Lokal offline kit ({created}): install from this folder only, without internet.
# Usage: powershell -ExecutionPolicy Bypass -File install.ps1 [VENV_DIR]
$ErrorActionPreference = "Stop"
$Kit = Split-Path -Parent $MyInvocation.MyCommand.Path
$Venv = if ($args.Count -ge 1) {{ $args[0] }} else {{ Join-Path $env:LOCALAPPDATA "StudioLokal\venv" }}
{guard}
$Py = if ($env:PYTHON) {{ $env:PYTHON }} else {{ "py" }}
$PyArgs = if ($Py -eq "py") {{ @("-{major}.{minor}") }} else {{ @() }}
& $Py @PyArgs -m venv $Venv
if ($LASTEXITCODE -ne 0) {{ Write-Error "Python {major}.{minor} is needed to install this kit."; exit 1 }}
& "$Venv\Scripts\python.exe" -m pip --isolated install --no-index --find-links "$Kit\wheels" "{requirement}"
if ($LASTEXITCODE -ne 0) {{ exit 1 }}
$Models = & "$Venv\Scripts\python.exe" -c "{models_dir}"
if (Test-Path "$Kit\models") {{
  New-Item -ItemType Directory -Force -Path $Models | Out-Null
  Copy-Item -Recurse -Force "$Kit\models\*" $Models
}}
Write-Output "Studio Lokal is installed in $Venv; models are in $Models."
& "$Venv\Scripts\studio.exe" kit check $Kit
exit $LASTEXITCODE
'''


def install_sh(*, requirement: str, python: tuple[int, int], platform: str, created: str) -> str:
    """The Linux script for a kit whose wheels were built on ``platform`` (``sysconfig.get_platform()``)."""
    guard = "" if platform.startswith("linux") else (
        f'echo "This kit was built on {platform}; its wheels do not install on Linux. Build a kit on a '
        'Linux computer with: studio kit build DIR" >&2\nexit 1')
    return _SH.format(requirement=requirement, major=python[0], minor=python[1], guard=guard,
                      models_dir=_MODELS_DIR, created=created)


def install_ps1(*, requirement: str, python: tuple[int, int], platform: str, created: str) -> str:
    """The Windows script (PowerShell) for a kit whose wheels were built on ``platform``."""
    guard = "" if platform.startswith("win") else (
        f'Write-Error "This kit was built on {platform}; its wheels do not install on Windows. Build a kit on '
        'a Windows laptop with: studio kit build DIR"\nexit 1')
    return _PS1.format(requirement=requirement, major=python[0], minor=python[1], guard=guard,
                       models_dir=_MODELS_DIR, created=created)
