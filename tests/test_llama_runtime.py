"""Choosing llama.cpp's CPU variant: what each was compiled for, what the OS enables, the order."""

from __future__ import annotations

from pathlib import Path

import pytest

from ask import llama_runtime
from ask.llama_runtime import features_of, os_flags, unusable

HASWELL = 1 + sum(1 << llama_runtime.SCORE_BITS.index(f) for f in ("FMA", "F16C", "SSE42", "BMI2", "AVX", "AVX2"))


def test_a_score_names_the_features_compiled_in() -> None:
    assert features_of(HASWELL) == ("FMA", "F16C", "SSE42", "BMI2", "AVX", "AVX2")
    assert features_of(1) == ()  # x64: nothing beyond the baseline
    assert features_of(0) == ()  # CPUID lacks something: unknown


def test_a_feature_is_usable_only_if_the_os_enables_all_its_flags() -> None:
    amx_box = frozenset({"fma", "avx2", "avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw", "amx_tile"})
    assert unusable(("FMA", "AVX2", "AVX512", "AMX_INT8"), amx_box) == ("AMX_INT8",)  # amx_int8 not enabled
    assert unusable(("AVX512",), frozenset({"avx512f"})) == ("AVX512",)
    assert unusable(("AVX512",), None) == ()  # no /proc/cpuinfo: CPUID and the start-up check decide


def test_flags_are_read_from_cpuinfo(tmp_path: Path) -> None:
    (tmp_path / "cpuinfo").write_text("processor\t: 0\nflags\t\t: fpu sse4_2 avx2 amx_tile\n\nflags : other\n")
    assert os_flags(tmp_path / "cpuinfo") == frozenset({"fpu", "sse4_2", "avx2", "amx_tile"})
    assert os_flags(tmp_path / "missing") is None


def test_the_installed_build_has_every_variant_and_picks_one_this_machine_runs() -> None:
    found = llama_runtime.variants()
    names = {v.name for v in found}
    assert {"x64", "haswell", "skylakex", "icelake", "sapphirerapids"} <= names, "llama-cpp-python lacks its variants"
    assert [v.score for v in found] == sorted((v.score for v in found), reverse=True)
    chosen = llama_runtime.candidates()[0]
    assert chosen.score == max(v.score for v in found if not v.unusable)
    flags = os_flags() or frozenset()
    assert all(all(f in flags for f in llama_runtime.LINUX_FLAGS[feature]) for feature in chosen.features)


def test_variants_that_crashed_here_are_passed_over(tmp_path: Path) -> None:
    best = llama_runtime.candidates()[0].name
    llama_runtime.remember_crash(tmp_path, best)
    assert llama_runtime.crashed_variants(tmp_path) == {best}
    assert best not in {v.name for v in llama_runtime.candidates(llama_runtime.crashed_variants(tmp_path))}
    (tmp_path / "llama-cpu.json").write_text("{not json")
    assert llama_runtime.crashed_variants(tmp_path) == set()  # a damaged record is no record


def test_no_usable_variant_says_why_for_each() -> None:
    message = llama_runtime.none_usable({v.name for v in llama_runtime.variants()})
    assert "no llama.cpp CPU variant can run" in message and "icelake:" in message and "--backend" in message


def test_the_cpu_model_is_the_first_processor_s_family_and_model(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["processor\t: 0", "cpu family\t: 25", "model\t\t: 17", "model name\t: AMD EPYC", "processor\t: 1",
             "cpu family\t: 6", "model\t\t: 207"]  # fmt: skip
    monkeypatch.setattr(llama_runtime, "_cpuinfo_lines", lambda: lines)
    assert llama_runtime.cpu_model() == "family 25 model 17"
    monkeypatch.setattr(llama_runtime, "_cpuinfo_lines", lambda: [])  # no /proc/cpuinfo
    assert llama_runtime.cpu_model() == ""
