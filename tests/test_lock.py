"""The install is reproducible: requirements.txt pins every package with hashes, agrees with
requirements.in, builds llama.cpp for every x86-64 CPU, and the readers' libraries import."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from config import ROOT


def requirements(path: Path) -> dict[str, str]:
    """name -> the requirement's whole logical line (continuations joined)."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    lines = [ln.split("#")[0].strip() for ln in text.splitlines()]
    return {re.split(r"[=<>~!\[ ;]", ln, maxsplit=1)[0].lower().replace("_", "-"): ln for ln in lines if ln}


def pins(path: Path) -> dict[str, str]:
    return {name: re.search(r"==\s*([^\s;]+)", line)[1] for name, line in requirements(path).items()}


def test_every_package_is_pinned_with_hashes() -> None:
    lock = requirements(ROOT / "requirements.txt")
    assert len(lock) > 100  # transitive packages included
    for name, line in lock.items():
        assert re.search(r"==\s*\S", line), f"{name} is not pinned"
        assert "--hash=sha256:" in line, f"{name} has no hash"


def test_python_311s_own_pip_finds_lxml_pinned_with_the_extra_justext_asks_for() -> None:
    """pip 23.2 (Python 3.11's) refuses justext's "lxml[html_clean]" as unpinned in --require-hashes
    mode unless the lock pins it so (tools/lock adds the line); .ci/run installs with that pip."""
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    plain, extra = (re.search(rf"^{re.escape(name)}==(\S+)", text, re.M) for name in ("lxml", "lxml[html_clean]"))
    assert plain and extra and plain[1] == extra[1]


def test_the_lock_agrees_with_requirements_in() -> None:
    wanted, locked = pins(ROOT / "requirements.in"), pins(ROOT / "requirements.txt")
    for name, version in wanted.items():
        assert name in locked, f"{name} of requirements.in is not in the lock: run tools/lock"
        assert locked[name].split("+")[0] == version, f"{name}: {version} wanted, {locked[name]} locked"
    assert locked["torch"].startswith("2.13.0")  # the CPU build this project's machines install


def test_llama_cpp_is_built_for_every_x86_64_cpu() -> None:
    line = requirements(ROOT / "requirements.txt")["llama-cpp-python"]
    for option in ("GGML_NATIVE=OFF", "GGML_BACKEND_DL=ON", "GGML_CPU_ALL_VARIANTS=ON", "GGML_BACKEND_DIR"):
        assert option in line


def test_every_readers_library_imports_and_works() -> None:
    import lxml.html.clean  # noqa: F401  (trafilatura needs it; a separate package since lxml 5.2)
    import pypdf
    import trafilatura

    html = "<html><body><nav>Home</nav><article><p>" + "Hunan and the UK traded goods. " * 20 + "</p></article>"
    assert "Hunan and the UK" in trafilatura.extract(html + "</body></html>")
    assert pypdf.PdfReader  # the PDF reader's entry point


@pytest.mark.skipif(shutil.which("python3.11") is None, reason="tools/lock runs uv under python3.11")
def test_tools_lock_reproduces_the_pins(tmp_path: Path) -> None:
    """The committed lock is what tools/lock makes from requirements.in now (pins, not hashes: a
    release may gain a wheel and so a hash)."""
    for name in ("requirements.in", "requirements.txt", "tools/lock"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    tools = ROOT / ".tools"
    if tools.is_dir():  # uv, installed by an earlier run
        (tmp_path / ".tools").symlink_to(tools)
    result = subprocess.run(["tools/lock"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert pins(tmp_path / "requirements.txt") == pins(ROOT / "requirements.txt")
    made = requirements(tmp_path / "requirements.txt")["llama-cpp-python"]
    assert made.split("--hash")[0] == requirements(ROOT / "requirements.txt")["llama-cpp-python"].split("--hash")[0]
