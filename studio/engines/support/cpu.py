"""What this CPU computes fast, for Settings' plain words and the rough script-time estimate.

Light on purpose (Settings opens it on the GUI thread): on Linux the flags come from
``/proc/cpuinfo``; elsewhere from numpy's own CPU dispatch table
(``numpy._core._multiarray_umath.__cpu_features__``), which knows AVX2, AVX-512,
AVX-512 VNNI/BF16 and ARM NEON but not AMX or AVX-VNNI (``detect`` then reports only
what it knows; the dialog runs it off the GUI thread, ``known()`` says whether it ran).
OpenVINO's ``Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")`` would say more, but
it is not installed everywhere the app runs and costs a second to load.

A cap set by the user or a bench (``ONEDNN_MAX_CPU_ISA`` / ``DNNL_MAX_CPU_ISA`` for oneDNN,
that is torch and OpenVINO; ``OV_CPU_MAX_ISA`` as ``tests/bench/image_bench.py`` sets it for
OpenVINO's own kernels) limits what the runtimes use: ``usable`` drops the features above it,
and ``CpuFeatures.cap`` names the variable so Settings can say so.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

CAP_VARS = ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "OV_CPU_MAX_ISA")

# Shown name, its level (what a cap at that level still allows), /proc/cpuinfo flag, numpy's name.
FEATURES: tuple[tuple[str, int, str, str], ...] = (
    ("AVX2", 1, "avx2", "AVX2"),
    ("AVX-VNNI", 2, "avx_vnni", ""),
    ("AVX-512", 3, "avx512f", "AVX512F"),
    ("AVX-512 VNNI", 4, "avx512_vnni", "AVX512VNNI"),
    ("AVX-512 BF16", 5, "avx512_bf16", "AVX512BF16"),
    ("AMX (bf16)", 6, "amx_bf16", ""),
    ("AMX (int8)", 6, "amx_int8", ""),
    ("NEON", 1, "asimd", "ASIMD"),
)
BF16_FAST = frozenset({"AVX-512 BF16", "AMX (bf16)"})
"""Native bfloat16 arithmetic: bf16 models run about twice as fast as in fp32."""
INT8_DOT = frozenset({"AVX-VNNI", "AVX-512 VNNI", "AMX (int8)"})
"""Integer dot products: int4/int8 language models decode faster."""


def cap_level(value: str) -> int | None:
    """The feature level a oneDNN-style ISA name allows ("AVX2" → 1); None for no cap ("", ALL, DEFAULT)."""
    v = value.strip().upper()
    if not v or v in ("ALL", "DEFAULT"):
        return None
    if "AMX" in v:
        return 6
    if "BF16" in v or "FP16" in v:
        return 5
    if "AVX512" in v or "AVX10" in v:
        return 4 if "VNNI" in v else 3
    if v.startswith("AVX2"):
        return 2 if "VNNI" in v else 1
    return 0  # SSE41, AVX: none of the features named here


@dataclass(frozen=True)
class CpuFeatures:
    """The features this CPU has (``flags``: shown names), and the cap in force."""

    flags: tuple[str, ...]
    cores: int
    source: str
    cap_var: str = ""
    cap_value: str = ""

    @property
    def cap(self) -> int | None:
        return cap_level(self.cap_value) if self.cap_var else None

    @property
    def usable(self) -> tuple[str, ...]:
        """The features the runtimes may use under the cap (all of them without one)."""
        limit = self.cap
        levels = {name: level for name, level, _flag, _np in FEATURES}
        return tuple(f for f in self.flags if limit is None or levels.get(f, 0) <= limit or f == "NEON")

    @property
    def bf16_fast(self) -> bool:
        return bool(BF16_FAST & set(self.usable))

    @property
    def int8_dot(self) -> bool:
        return bool(INT8_DOT & set(self.usable))

    @property
    def tier(self) -> str:
        """``amx`` / ``avx512`` / ``avx2`` / ``neon`` / ``basic`` under the cap: what the rough estimate scales by."""
        return tier_of(self.usable)

    @property
    def full_tier(self) -> str:
        """The tier without the cap (ONNX Runtime's own kernels do not read the oneDNN/OpenVINO variables)."""
        return tier_of(self.flags)

    @property
    def capped_runtimes(self) -> str:
        """Which runtimes the cap in force limits ("PyTorch, OpenVINO" / "OpenVINO"; "" without a cap)."""
        if self.cap is None:
            return ""
        return "OpenVINO" if self.cap_var == "OV_CPU_MAX_ISA" else "PyTorch, OpenVINO"


def tier_of(features: tuple[str, ...]) -> str:
    """The speed class of a set of shown feature names."""
    usable = set(features)
    if {"AMX (bf16)", "AMX (int8)"} & usable:
        return "amx"
    if "AVX-512" in usable:
        return "avx512"
    if "AVX2" in usable:
        return "avx2"
    if "NEON" in usable:
        return "neon"
    return "basic"


def _cap() -> tuple[str, str]:
    for var in CAP_VARS:
        value = os.environ.get(var, "").strip()
        if value and cap_level(value) is not None:
            return var, value
    return "", ""


def parse_cpuinfo(text: str, cores: int | None = None) -> CpuFeatures:
    """Features from the text of ``/proc/cpuinfo`` (x86 ``flags`` or ARM ``Features``; the first CPU's)."""
    have: set[str] = set()
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in ("flags", "features"):
            have = set(value.split())
            break
    flags = tuple(dict.fromkeys(name for name, _level, flag, _np in FEATURES if flag in have))
    return CpuFeatures(flags, cores or os.cpu_count() or 1, "/proc/cpuinfo", *_cap())


def from_numpy(table: dict[str, bool], cores: int | None = None) -> CpuFeatures:
    """Features from numpy's ``__cpu_features__`` table (no AMX or AVX-VNNI there)."""
    flags = tuple(dict.fromkeys(name for name, _level, _flag, np_name in FEATURES
                                if np_name and table.get(np_name)))
    return CpuFeatures(flags, cores or os.cpu_count() or 1, "numpy", *_cap())


_lock = threading.Lock()
_found: CpuFeatures | None = None
_CPUINFO = Path("/proc/cpuinfo")


def detect() -> CpuFeatures:
    """This machine's features (cached; the cap variables are read again every call)."""
    global _found
    with _lock:
        if _found is None:
            _found = _probe()
        base = _found
    return CpuFeatures(base.flags, base.cores, base.source, *_cap())


def known() -> CpuFeatures | None:
    """``detect()`` when it is cheap here (Linux) or already ran, else None (run ``detect`` off the GUI thread)."""
    if _found is None and not (sys.platform.startswith("linux") and _CPUINFO.is_file()):
        return None
    return detect()


def _probe() -> CpuFeatures:
    if sys.platform.startswith("linux") and _CPUINFO.is_file():
        try:
            return parse_cpuinfo(_CPUINFO.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            pass
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as table
    except ImportError:
        try:
            from numpy.core._multiarray_umath import __cpu_features__ as table  # numpy 1.x
        except ImportError:
            return CpuFeatures((), os.cpu_count() or 1, "")
    return from_numpy(dict(table))
