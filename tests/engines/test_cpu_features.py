"""engines.support.cpu on real CPU descriptions: which features each has, what the caps a user or
a bench sets leave usable, and this machine's own detection."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studio.engines.support import cpu

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "cpuinfo"


def sample(name: str, **kwargs: object) -> cpu.CpuFeatures:
    return cpu.parse_cpuinfo((SAMPLES / name).read_text(encoding="utf-8"), **kwargs)


@pytest.fixture(autouse=True)
def no_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in cpu.CAP_VARS:
        monkeypatch.delenv(var, raising=False)


def test_each_cpu_reports_its_features_and_what_they_mean() -> None:
    epyc = sample("amd-epyc-avx512-bf16.txt", cores=2)
    assert epyc.flags == ("AVX2", "AVX-512", "AVX-512 VNNI", "AVX-512 BF16")
    assert epyc.bf16_fast and epyc.int8_dot and epyc.tier == "avx512" and epyc.cores == 2
    spr = sample("intel-xeon-sapphire-rapids-lscpu.txt")  # lscpu's "Flags:" line reads the same
    assert spr.flags == ("AVX2", "AVX-VNNI", "AVX-512", "AVX-512 VNNI", "AVX-512 BF16", "AMX (bf16)", "AMX (int8)")
    assert spr.tier == "amx" and spr.bf16_fast
    laptop = sample("intel-i5-8250u-laptop.txt")
    assert laptop.flags == ("AVX2",) and laptop.tier == "avx2"
    assert not laptop.bf16_fast and not laptop.int8_dot
    pi = sample("raspberry-pi-4-arm.txt")
    assert pi.flags == ("NEON",) and pi.tier == "neon" and not pi.bf16_fast
    assert cpu.parse_cpuinfo("").flags == () and cpu.parse_cpuinfo("").tier == "basic"


def test_an_instruction_set_cap_hides_what_lies_above_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    epyc = sample("amd-epyc-avx512-bf16.txt")
    assert epyc.cap_var == "ONEDNN_MAX_CPU_ISA" and epyc.cap_value == "AVX2"
    assert epyc.usable == ("AVX2",) and epyc.tier == "avx2" and not epyc.bf16_fast
    assert epyc.full_tier == "avx512"  # ONNX Runtime's own kernels do not read the variable
    assert epyc.capped_runtimes == "PyTorch, OpenVINO"
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_VNNI")
    assert sample("intel-xeon-sapphire-rapids-lscpu.txt").usable == ("AVX2", "AVX-VNNI", "AVX-512",
                                                                      "AVX-512 VNNI")
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "ALL")  # no cap at all
    monkeypatch.setenv("OV_CPU_MAX_ISA", "AVX512_CORE_BF16")
    spr = sample("intel-xeon-sapphire-rapids-lscpu.txt")
    assert spr.cap_var == "OV_CPU_MAX_ISA" and spr.capped_runtimes == "OpenVINO"
    assert spr.bf16_fast and "AMX (bf16)" not in spr.usable and spr.tier == "avx512"
    assert [cpu.cap_level(v) for v in ("", "DEFAULT", "SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX512_CORE",
                                       "AVX512_CORE_BF16", "AVX512_CORE_AMX")] == [None, None, 0, 0, 1, 2, 3, 5, 6]


def test_numpys_table_gives_the_same_names() -> None:
    table = {"AVX2": True, "AVX512F": True, "AVX512VNNI": True, "AVX512BF16": False, "ASIMD": False}
    assert cpu.from_numpy(table).flags == ("AVX2", "AVX-512", "AVX-512 VNNI")
    assert cpu.from_numpy(table).source == "numpy"


def test_this_machine_is_detected_without_heavy_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    found = cpu.detect()
    assert found.cores >= 1 and found.source in ("/proc/cpuinfo", "numpy")
    if sys.platform.startswith("linux"):
        assert cpu.known() == found and found.source == "/proc/cpuinfo"
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        assert ("avx2" in text.split()) == ("AVX2" in found.flags)
        from numpy._core._multiarray_umath import __cpu_features__ as table

        # numpy's own probe agrees with the kernel's flags on every feature both know.
        assert cpu.from_numpy(dict(table)).flags == tuple(f for f in found.flags if f not in ("AVX-VNNI", "AMX (bf16)",
                                                                                            "AMX (int8)"))
    monkeypatch.setenv("OV_CPU_MAX_ISA", "AVX2")
    assert cpu.detect().cap_var == "OV_CPU_MAX_ISA"  # the cap is read on every call
