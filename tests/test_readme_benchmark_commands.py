"""The README's MultiHop-RAG and calibration commands, run as a user runs them (tests/readme.py): a
real process, real files, the fake models, a tiny corpus of the benchmark's shape."""

from __future__ import annotations

import json
from pathlib import Path

from config import Config
from tests.readme import run, write_multihop


def test_multihop_retrieval_answers_and_tuning(home: Path) -> None:
    out = home / "mh"
    run(home, "-m", "eval.multihop", "--split", "dev", "--out", str(out))
    figures = json.loads((out / "retrieval.json").read_text())
    assert figures["n_queries"] == 5 and 0 <= figures["mrr@10"] <= 1
    run(home, "-m", "eval.multihop", "--split", "test", "--answers", "--limit", "2", "--out", str(home / "mh-a"))
    sampled = home / "mh-s"
    run(home, "-m", "eval.multihop", "--split", "dev", "--answers", "--sample", "2", "--min-support", "0",
        "--out", str(sampled))  # fmt: skip
    rows = [json.loads(line) for line in (sampled / "answers.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and all(isinstance(r["removed"], list) for r in rows)  # what verification cut, and why
    tuned = run(home, "-m", "eval.tune", "--split", "dev", "--grid", "dense_weight=0.2,0.3")
    assert "5 dev queries" in tuned.stdout and "dense=0.2" in tuned.stdout and "dense=0.3" in tuned.stdout


def test_calibrate_news(home: Path) -> None:
    out = home / "news"
    done = run(home, "-m", "eval.calibrate_news", "--sample", "3", "--out", str(out))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert 0 <= figures["auc"] <= 1 and 0 <= figures["suggested_min_news"] <= 1
    counts = json.loads((out / "news_calibration.json").read_text())["counts"]
    assert counts == {"news": 3, "order": 35, "answer": 25}


def test_calibrate_names(home: Path) -> None:
    out = home / "names"
    done = run(home, "-m", "eval.calibrate_names", "--out", str(out))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert 0 <= figures["suggested_max_unnamed"] <= 1 and figures["current_max_unnamed"] == 4 / 9
    saved = json.loads((out / "names_calibration.json").read_text())
    assert {q["source"] for q in saved["questions"]} == {"seeds", "fresh", "multihop-dev"}
    assert sum(q["unanswerable"] for q in saved["questions"] if q["source"] == "multihop-dev") == 1  # the null query
    assert "multihop-dev: at 0.4444 refuses" in done.stdout


def test_calibrate_alone(home: Path) -> None:
    out = home / "alone"
    done = run(home, "-m", "eval.calibrate_alone", "--out", str(out))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["current_min_alone"] == Config().answer.min_alone and 0 <= figures["auc"] <= 1
    saved = json.loads((out / "alone_calibration.json").read_text())["questions"]
    assert {q["follow_up"] for q in saved} == {True, False}
    assert {"seeds", "conversations"} <= {q["source"] for q in saved}
    assert "follow-ups and" in done.stdout


def test_calibrate_claims(home: Path) -> None:
    """On a benchmark of yes/no queries naming two publishers each (its own cache: another corpus)."""
    bench = home / "claims-bench"
    write_multihop(bench)
    said = {"TechCrunch": "Nova shipped 3 million AI chips", "The Verge": "Orbit cut its chip prices"}
    queries = [{"query": f"Does the TechCrunch article say {said['TechCrunch']}, while The Verge article says "
                         f"{said['The Verge'] if n % 2 else 'Orbit raised its chip prices'}?",
                "answer": "Yes" if n % 2 else "No", "question_type": "comparison_query", "evidence_list": []}
               for n in range(8)]  # fmt: skip
    (bench / "MultiHopRAG.json").write_text(json.dumps(queries), encoding="utf-8")
    out = home / "claims"
    done = run(home, "-m", "eval.calibrate_claims", "--benchmark-dir", str(bench), "--holdout", "0",
               "--pool", "5", "--out", str(out), cache="claims-cache")  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["current_min_claims"] == Config().answer.min_claims and figures["auc_claims"] == 0.5
    assert figures["rule"] == Config().answer.claims_rule and {"auc_claims_mean", "auc_claims_min"} <= set(figures)
    saved = json.loads((out / "claims_calibration.json").read_text())
    assert len(saved["queries"]) == 5 and all(len(q["parts"]) == 2 for q in saved["queries"])
    assert "min_claims  accuracy  balanced accuracy" in done.stdout
