"""llama.cpp on whatever x86-64 CPU this is: the CPU backend variant is chosen at run time.

requirements.txt builds llama-cpp-python with every x86-64 variant of ggml's CPU backend as a
loadable library (libggml-cpu-haswell.so … libggml-cpu-sapphirerapids.so) instead of one library
compiled for the build machine (-march=native). ggml's own choice trusts CPUID, which can
advertise what the operating system or the hypervisor does not enable (AMX in some VMs faults at
its first instruction). Here a variant is a candidate only if the kernel reports every feature it
was compiled for as usable (Linux clears a /proc/cpuinfo flag whose register state it does not
enable); the best candidate is loaded, and the model process (ask/model_process.py) moves on to
the next one if a variant still crashes, and remembers that for this CPU. A llama-cpp-python built
the old way (one CPU backend linked in) is used as it is.

`python -m ask.llama_runtime [--json] [--rates]` prints what was found and chosen, and with
--rates the default model's prefill and decode rates on it (measured in its model process).
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from index.embed import ModelUnavailable

# What each bit of a variant's score stands for, in the order of ggml's
# ggml/src/ggml-cpu/arch/x86/cpu-feats.cpp (score = 1 + the bits of every feature compiled in),
# and the Linux /proc/cpuinfo flags that feature needs.
SCORE_BITS = ("FMA", "F16C", "SSE42", "BMI2", "AVX", "AVX2", "AVX_VNNI", "AVX512", "AVX512_VBMI",
              "AVX512_BF16", "AVX512_VNNI", "AMX_INT8")  # fmt: skip
LINUX_FLAGS = {
    "FMA": ("fma",), "F16C": ("f16c",), "SSE42": ("sse4_2",), "BMI2": ("bmi2",), "AVX": ("avx",),
    "AVX2": ("avx2",), "AVX_VNNI": ("avx_vnni",), "AVX512": ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"),
    "AVX512_VBMI": ("avx512vbmi",), "AVX512_BF16": ("avx512_bf16",), "AVX512_VNNI": ("avx512_vnni",),
    "AMX_INT8": ("amx_tile", "amx_int8"),
}  # fmt: skip
BUILT_IN = "built-in"  # a llama-cpp-python without variant libraries: its one CPU backend


@dataclass(frozen=True)
class Variant:
    name: str  # "icelake", or BUILT_IN
    path: Path | None
    score: int  # ggml's: 0 when CPUID lacks a feature it needs
    features: tuple[str, ...]  # what it was compiled for
    unusable: tuple[str, ...]  # of those, what the operating system does not enable


def lib_dir() -> Path:
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        raise ModelUnavailable("the llama.cpp backend needs llama-cpp-python: pip install -r requirements.txt")
    return Path(spec.origin).parent / "lib"


def os_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str] | None:
    """The CPU flags the kernel reports usable; None where there is no /proc/cpuinfo to read."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    line = next((ln for ln in text.splitlines() if ln.startswith("flags")), "")
    return frozenset(line.partition(":")[2].split()) if line else None


def features_of(score: int) -> tuple[str, ...]:
    return tuple(name for bit, name in enumerate(SCORE_BITS) if score > 0 and (score - 1) >> bit & 1)


def unusable(features: tuple[str, ...], flags: frozenset[str] | None) -> tuple[str, ...]:
    if flags is None:
        return ()
    return tuple(f for f in features if not all(flag in flags for flag in LINUX_FLAGS[f]))


def variants(directory: Path | None = None, flags: frozenset[str] | None = None) -> list[Variant]:
    """Every CPU variant library installed, best first; [] for a build without them. Each library's
    own score function reads CPUID; nothing else of it runs."""
    directory = directory or lib_dir()
    flags = os_flags() if flags is None else flags
    found = []
    paths = sorted(directory.glob("libggml-cpu-*.so"))
    if paths:  # they link to ggml's base library by name alone: it must be loaded first
        ctypes.CDLL(str(_shared(directory, "libggml-base")), mode=ctypes.RTLD_GLOBAL)
    for path in paths:
        library = ctypes.CDLL(str(path))
        try:
            library.ggml_backend_score.restype = ctypes.c_int
            score = int(library.ggml_backend_score())
        finally:
            _dlclose(library)
        name = path.name.removeprefix("libggml-cpu-").removesuffix(".so")
        found.append(Variant(name, path, score, features_of(score), unusable(features_of(score), flags)))
    return sorted(found, key=lambda v: -v.score)


def candidates(excluded: set[str] | frozenset[str] = frozenset()) -> list[Variant]:
    """The variants this machine can run, best first: CPUID has their features, the OS enables
    them, and none crashed here before (`excluded`). A build without variants gives BUILT_IN."""
    found = variants() or [Variant(BUILT_IN, None, 1, (), ())]
    return [v for v in found if v.score > 0 and not v.unusable and v.name not in excluded]


def best(excluded: set[str] | frozenset[str] = frozenset()) -> Variant:
    """The variant to load here (`candidates`' first); ModelUnavailable saying why if none can run."""
    choices = candidates(excluded)
    if not choices:
        raise ModelUnavailable(none_usable(set(excluded)))
    return choices[0]


def none_usable(excluded: set[str]) -> str:
    """Why no variant can run here, variant by variant, and what to do."""
    found = variants()
    why = [] if found else [f"{BUILT_IN}: {describe(Variant(BUILT_IN, None, 1, (), ()))} crashed here"]
    for v in found:
        if v.score == 0:
            why.append(f"{v.name}: this CPU lacks an instruction set it was compiled for")
        elif v.unusable:
            why.append(f"{v.name}: the operating system does not enable {' '.join(v.unusable)}")
        elif v.name in excluded:
            why.append(f"{v.name}: crashed on this machine")
    return (
        "no llama.cpp CPU variant can run on this machine (" + "; ".join(why) + "). Reinstall "
        "llama-cpp-python from requirements.txt, or pass --backend transformers"
    )


def load(variant: Variant) -> None:
    """Make `variant` the CPU backend of this process: before any model is loaded, once."""
    if variant.path is None:
        return
    import llama_cpp  # noqa: F401  (loads libllama, and with it the ggml libraries it links to)

    libggml = ctypes.CDLL(str(_shared(variant.path.parent, "libggml")))
    libggml.ggml_backend_load.argtypes = [ctypes.c_char_p]
    libggml.ggml_backend_load.restype = ctypes.c_void_p
    if not libggml.ggml_backend_load(str(variant.path).encode()):
        raise ModelUnavailable(f"llama.cpp could not load its CPU backend {variant.path}")


def system_info() -> str:
    """llama.cpp's own line: the instruction sets the loaded CPU backend was compiled for."""
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode(errors="replace").strip()


def describe(variant: Variant) -> str:
    if variant.name == BUILT_IN:
        return (
            "the CPU backend built into llama-cpp-python, compiled for the machine that built it "
            "(reinstall it from requirements.txt, without pip's cache, for one chosen per CPU)"
        )
    return f"CPU variant {variant.name} ({' '.join(variant.features) or 'no SIMD extensions'})"


def machine_key() -> str:
    """Names this CPU, this OS's view of it and this llama.cpp build: what a crash is remembered by."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        build = version("llama-cpp-python")
    except PackageNotFoundError:
        build = "none"
    flags = " ".join(sorted(os_flags() or ()))
    key = f"{platform.machine()}|{cpu_name()}|{flags}|{build}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def crashed_variants(cache_dir: Path) -> set[str]:
    """Variants that crashed on this machine before (the model process records them)."""
    try:
        record = json.loads((Path(cache_dir) / "llama-cpu.json").read_text(encoding="utf-8"))
        return set(record.get(machine_key(), []))
    except (OSError, ValueError, AttributeError):
        return set()


def remember_crash(cache_dir: Path, name: str) -> None:
    path = Path(cache_dir) / "llama-cpu.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        record = {}
    if not isinstance(record, dict):
        record = {}
    key = machine_key()
    record[key] = sorted({*record.get(key, []), name})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def cpu_name() -> str:
    """The CPU's model name as the kernel reports it (figures say which CPU they came from)."""
    name = next((ln.partition(":")[2].strip() for ln in _cpuinfo_lines() if ln.startswith("model name")), "")
    return name or platform.processor() or platform.machine()


def cpu_model() -> str:
    """The CPU's family and model numbers ("family 25 model 17"), or "" where the kernel gives none:
    a virtual machine's model name alone ("AMD EPYC") does not tell one generation from another."""
    first: dict[str, str] = {}
    for line in _cpuinfo_lines():
        key, _, value = line.partition(":")
        first.setdefault(key.strip(), value.strip())
    family, model = first.get("cpu family"), first.get("model")
    return f"family {family} model {model}" if family and model else ""


def _cpuinfo_lines() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _shared(directory: Path, name: str) -> Path:
    """The file of a ggml library that libllama itself links to. A wheel holds `libggml.so`,
    `.so.0` and `.so.0.x.y` as three copies; libllama maps `.so.0`, and a backend registered in
    another copy would be invisible to it."""
    linked = directory / f"{name}.so.0"
    return linked if linked.is_file() else directory / f"{name}.so"


def _dlclose(library: ctypes.CDLL) -> None:
    import _ctypes

    _ctypes.dlclose(library._handle)


def report(cache_dir: Path) -> dict:
    """This CPU, every installed variant and why it can or cannot run here, and the one chosen."""
    crashed = crashed_variants(cache_dir)
    usable = candidates(crashed)
    return {
        "cpu": cpu_name(),
        "os_flags_read": os_flags() is not None,
        "variants": [
            {"name": v.name, "score": v.score, "features": list(v.features), "unusable": list(v.unusable),
             "crashed_here": v.name in crashed} for v in variants()
        ] or [{"name": BUILT_IN, "score": 0, "features": [], "unusable": [], "crashed_here": False}],
        "chosen": usable[0].name if usable else None,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    import argparse

    from config import Config

    parser = argparse.ArgumentParser(prog="python -m ask.llama_runtime", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rates", action="store_true", help="also measure the default model's prefill and decode")
    args = parser.parse_args(argv)
    config = Config()
    try:
        found = report(config.cache_dir)
        if args.rates:
            from ask.generate import load_generator

            model = load_generator(None, "llama.cpp", config.cache_dir)
            text = " ".join(p.read_text(encoding="utf-8") for p in sorted(config.articles_dir.glob("*.txt")))
            found |= {**model.rates(text), "system_info": model.info.get("system_info", "")}
            model.close()
    except ModelUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(found, indent=1))
        return 0
    print(f"CPU: {found['cpu']}")
    for v in found["variants"]:
        why = (
            "crashed here"
            if v["crashed_here"]
            else f"OS does not enable {' '.join(v['unusable'])}"
            if v["unusable"]
            else "CPUID lacks a feature"
            if v["score"] == 0 and v["name"] != BUILT_IN
            else "usable"
        )
        print(f"  {v['name']:16} {why:40} {' '.join(v['features'])}")  # fmt: skip
    print(f"chosen: {found['chosen'] or 'none'}")
    for key in ("system_info", "prefill_tokens_per_s", "decode_tokens_per_s"):
        if key in found:
            print(f"{key}: {found[key]:.1f}" if isinstance(found[key], float) else f"{key}: {found[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
