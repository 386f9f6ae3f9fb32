"""`python -m index` end to end with the real packaged MiniLM embedder on the seed articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ROOT

pytestmark = pytest.mark.real


def run(*args: str, index_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASK_INDEX_DIR": str(index_dir)}
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("real") / "index"
    result = run("build", "--quiet", index_dir=index_dir)
    assert result.returncode == 0, result.stderr
    assert "5 documents" in result.stdout and "5 changed" in result.stdout
    return index_dir


def test_second_build_does_no_work(built: Path) -> None:
    result = run("build", "--quiet", index_dir=built)
    assert result.returncode == 0
    assert "embedded 0 chunks" in result.stdout and "already up to date" in result.stdout


@pytest.mark.parametrize(
    ("question", "seed", "passage"),
    [
        ("How much was trade between Hunan and the UK in 2018?", "000", "$680 million"),
        ("Who is the UK business secretary at the industrial cooperation dialogue?", "002", "Kwasi Kwarteng"),
        ("How many collaborative projects has the Research and Innovation Partnership Fund supported?", "003", "460"),
        ("When does the China UK Innovation Cooperation Conference in Nanjing kick off?", "004", "July 9th"),
        ("How many new energy vehicle manufacturers are there in Hunan?", "001", "13 new energy vehicle"),
    ],
)
def test_search_finds_the_passage(built: Path, question: str, seed: str, passage: str) -> None:
    result = run("search", question, "-k", "3", "--json", index_dir=built)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert Path(hits[0]["document"]["path"]).name.startswith(seed)
    assert passage in hits[0]["chunk"]["text"]


def test_search_filters_and_text_output(built: Path) -> None:
    result = run("search", "cooperation", "--publisher", "China Daily", index_dir=built)
    assert result.returncode == 0 and "[1]" in result.stdout
    assert "China Daily" in result.stdout and "PRNewswire" not in result.stdout
    dated = run("search", "cooperation", "--from", "2022-01-01", "--json", index_dir=built)
    assert {h["document"]["published"] for h in json.loads(dated.stdout)} == {"2022-06-16"}


def test_stats(built: Path) -> None:
    result = run("stats", index_dir=built)
    assert result.returncode == 0
    assert "n_documents: 5" in result.stdout and "sentence-transformers/all-MiniLM-L6-v2" in result.stdout
    assert "China Daily" in result.stdout


def test_errors_are_one_clear_line(tmp_path: Path, built: Path) -> None:
    missing = run("search", "anything", index_dir=tmp_path / "none")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"error: no index at {tmp_path / 'none'}; build one with: python -m index build --index-dir {tmp_path / 'none'}"
    ]
    bad_date = run("search", "x", "--from", "yesterday", index_dir=built)
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("build", str(empty), "--quiet", index_dir=tmp_path / "ix2")
    assert nothing.returncode == 2 and "no articles to index" in nothing.stderr
