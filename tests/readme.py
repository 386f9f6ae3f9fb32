"""What the README-command tests share: a home folder of real files (the seed articles, a tiny gold
file, a tiny MultiHop-RAG benchmark) and `run`, a command run as a user runs it, with the fake
models of tests/fakes.py named through ASK_EMBEDDER and ASK_MODEL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from config import ROOT
from tests.conftest import SEEDS
from tests.fakes import FAKE_MODELS


def make_home(home: Path) -> Path:
    """A library of the five seed articles, a tiny gold file and a tiny MultiHop-RAG benchmark."""
    (home / "articles").mkdir()
    for path in SEEDS.glob("*.txt"):
        (home / "articles" / path.name).write_bytes(path.read_bytes())
    gold = [{"id": "g1", "question": "How much was trade between Hunan and the UK in 2018?",
             "answers": ["680 million"], "sources": ["000_48830aa07a997378.txt"], "unanswerable": False},
            {"id": "g2", "question": "What is the population of Mars?", "answers": [], "sources": [],
             "unanswerable": True}]  # fmt: skip
    (home / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in gold), encoding="utf-8")
    write_multihop(home / "multihop")
    return home


def write_multihop(folder: Path) -> None:
    """corpus.json and MultiHopRAG.json as the benchmark has them: 4 articles, 8 queries (2 test)."""
    folder.mkdir()
    facts = {
        "Chipmaker Nova": ("TechCrunch", "Nova shipped 3 million AI chips in October, the company said."),
        "Rains in Lisbon": ("BBC News", "Lisbon saw its wettest November on record, forecasters said."),
        "Nova's rival": ("The Verge", "Rival maker Orbit cut its chip prices by 20 percent in November."),
        "Lisbon transit": ("Reuters", "Lisbon's metro closed two stations after the floods in November."),
    }
    corpus = [{"title": t, "author": "Staff", "source": s, "published_at": f"2023-11-0{i + 1}T10:00:00+00:00",
               "category": "news", "url": f"https://example.com/{i}", "body": f"{fact} " + "Filler text here. " * 30}
              for i, (t, (s, fact)) in enumerate(facts.items())]  # fmt: skip
    queries = []
    for n in range(8):
        title, (source, fact) = list(facts.items())[n % 4]
        evidence = [{"title": title, "source": source, "fact": fact}]
        queries.append({"query": f"What did {source} report about {title.split()[-1]}?", "answer": "Yes",
                        "question_type": "inference_query" if n != 7 else "null_query",
                        "evidence_list": evidence if n != 7 else []})  # fmt: skip
    (folder / "corpus.json").write_text(json.dumps(corpus), encoding="utf-8")
    (folder / "MultiHopRAG.json").write_text(json.dumps(queries), encoding="utf-8")


def run(home: Path, *argv: str, timeout: float = 600, cache: str = "cache") -> subprocess.CompletedProcess:
    env = {**os.environ, **FAKE_MODELS, "ASK_INDEX_DIR": str(home / "index"), "ASK_CACHE_DIR": str(home / cache),
           "ASK_BENCHMARK_DIR": str(home / "multihop")}  # fmt: skip
    result = subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr[-3000:]}"
    return result
