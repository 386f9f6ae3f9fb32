"""Every command README.md shows, run as a user runs it: a real process, real files, real flags.

The models are the fakes of tests/fakes.py, named through ASK_EMBEDDER and ASK_MODEL (the
model still runs in its own process); the MultiHop-RAG commands read a tiny corpus of the
benchmark's shape. A refactor that breaks a command fails here; a command added to the README
without a test here fails `test_every_readme_command_is_tested`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config import ROOT, Config
from tests.conftest import SEEDS
from tests.fakes import FAKE_MODELS

TESTED = {
    "app.py",
    "-m index",
    "-m ask",
    "-m eval",
    "-m eval.multihop",
    "-m eval.tune",
    "-m eval.bench",
    "-m eval.browser",
    "-m eval.synthetic",
    "-m ask.llama_runtime",
    "tests/run",
    "tools/lock",
    "-m ask.serve",  # with `python -m ask --model openai://…`: tests/test_remote.py
    "-m eval.calibrate",
    "-m eval.soak",
    "-m eval.injections",
    "-m eval.calibrate_news",
    "-m eval.calibrate_names",
    "-m eval.calibrate_claims",
    "-m eval.context",
}


def readme_commands() -> set[str]:
    """The entry points README.md shows: `python app.py`, `python -m X`, and the scripts."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = {f"-m {m}" for m in re.findall(r"python(?:3\.11)? -m ([\w.]+)", text)} - {"-m venv", "-m pip"}
    found |= {"app.py"} if re.search(r"python(?:3\.11)? app\.py", text) else set()
    return found | set(re.findall(r"(?<![\w/])(tests/run|tools/lock)\b", text))


def test_every_readme_command_is_tested() -> None:
    assert readme_commands() - TESTED == set()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of the five seed articles, a tiny gold file and a tiny MultiHop-RAG benchmark."""
    home = tmp_path_factory.mktemp("readme")
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


def test_index_build_search_and_stats(home: Path) -> None:
    built = run(home, "-m", "index", "build", str(home / "articles"), "--index-dir", str(home / "idx"), "--quiet")
    assert "5 documents" in built.stdout
    again = run(home, "-m", "index", "--index-dir", str(home / "idx"), "build", str(home / "articles"), "--quiet")
    assert "already up to date" in again.stdout  # the global form of the option works too
    found = run(home, "-m", "index", "search", "trade between Hunan and the UK", "-k", "2", "--json",
                "--from", "2019", "--to", "2019-12", "--index-dir", str(home / "idx"))  # fmt: skip
    hits = json.loads(found.stdout)
    assert len(hits) == 2 and all(h["document"]["published"].startswith("2019") for h in hits)
    stats = json.loads(run(home, "-m", "index", "stats", "--json", "--index-dir", str(home / "idx")).stdout)
    assert len(stats["documents"]) == 5


def test_the_commands_on_a_milvus_store(home: Path) -> None:
    """`--store milvus-lite:PATH.db` for index build/search/stats, ask, eval.multihop, eval.synthetic."""
    store = f"milvus-lite:{home / 'store.db'}"
    assert "5 documents" in run(home, "-m", "index", "build", str(home / "articles"), "--store", store).stdout
    found = run(home, "-m", "index", "search", "trade between Hunan and the UK", "-k", "2", "--json",
                "--from", "2019", "--store", store)  # fmt: skip
    hits = json.loads(found.stdout)
    assert len(hits) == 2 and all(h["document"]["published"].startswith("2019") for h in hits)
    assert len(json.loads(run(home, "-m", "index", "stats", "--json", "--store", store).stdout)["documents"]) == 5
    answer = json.loads(run(home, "-m", "ask", "How much was trade between Hunan and the UK in 2018?", "--json",
                            "--store", store).stdout)  # fmt: skip
    assert answer["citations"] and answer["text"].endswith("]")
    out = home / "mh-milvus"
    run(home, "-m", "eval.multihop", "--split", "dev", "--store", f"milvus-lite:{home / 'mh.db'}", "--out", str(out))
    figures = json.loads((out / "retrieval.json").read_text())
    assert figures["n_queries"] == 5 and figures["store"].startswith("milvus-lite:") and 0 <= figures["mrr@10"] <= 1
    synthetic = run(home, "-m", "eval.synthetic", "--chunks", "3000", "--queries", "3",
                    "--store", f"milvus-lite:{home / 'synthetic.db'}")  # fmt: skip
    figures = json.loads(synthetic.stdout.strip().splitlines()[-1])
    assert figures["chunks"] == 3000 and figures["search_p50_ms"] > 0 and figures["store"].startswith("milvus-lite:")


def test_index_search_refuses_a_date_that_is_not_one(home: Path) -> None:
    with pytest.raises(AssertionError, match="not a date on the calendar"):
        run(home, "-m", "index", "search", "trade", "--from", "2019-13-45")


def test_ask(home: Path) -> None:
    out = run(home, "-m", "ask", "How much was trade between Hunan and the UK in 2018?", "--json",
              "--index-dir", str(home / "idx"))  # fmt: skip
    answer = json.loads(out.stdout)
    assert answer["citations"] and answer["text"].endswith("]")


def test_eval(home: Path) -> None:
    out = home / "eval-out"
    run(home, "-m", "eval", "--gold", str(home / "gold.jsonl"), "--out", str(out), "--corpus", str(home / "articles"),
        "--index-dir", str(home / "idx"), "--min-support", "0")  # fmt: skip
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["n_questions"] == 2 and "answer_accuracy" in metrics
    assert (out / "report.md").is_file() and (out / "chart.png").stat().st_size > 0
    assert len((out / "answers.jsonl").read_text().splitlines()) == 2
    calibrated = run(home, "-m", "eval.calibrate", str(out), "--keep", "0.9")
    suggestion = json.loads(calibrated.stdout.strip().splitlines()[-1])
    assert 0 <= suggestion["suggested_min_support"] <= 0.8
    assert sum(kind["n_answers"] for kind in suggestion["by_kind"].values()) >= 1  # the judged answer


def test_context(home: Path) -> None:
    out = home / "context"
    done = run(home, "-m", "eval.context", "--gold", str(home / "gold.jsonl"), "--sample", "4",
               "--index-dir", str(home / "idx"), "--passage-tokens", "60", "--out", str(out))  # fmt: skip
    assert "gold.jsonl: answer shown for 1 of 1 (1.0)" in done.stdout  # the unanswerable question is left out
    saved = json.loads((out / "context.json").read_text())
    assert saved["settings"]["passage_tokens"] == 60  # the flag, not config.py's
    assert saved["results"]["multihop-dev-4"]["questions"] == 0  # the tiny benchmark's answers are all "Yes"


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


def test_bench(home: Path) -> None:
    run(home, "-m", "index", "build", str(SEEDS), "--quiet")  # the default library, fake embedder
    out = home / "bench"
    run(home, "-m", "eval.bench", "--runs", "1", "--skip-multihop", "--skip-1m", "--out", str(out))
    figures = json.loads((out / "bench.json").read_text())
    for key in ("cold_start_s", "first_run_setup_s", "preview_p50_s", "ttft_p50_s", "total_p50_s", "search_p50_ms"):
        assert figures[key] >= 0, key
    assert "cores" in figures["machine"] and (out / "bench.md").is_file()


def test_synthetic(home: Path) -> None:
    out = run(home, "-m", "eval.synthetic", "--chunks", "20000", "--queries", "5")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["chunks"] == 20000 and figures["search_p50_ms"] > 0


def test_soak(home: Path) -> None:
    out = home / "soak"
    done = run(home, "-m", "eval.soak", "--clients", "2", "--minutes", "0.1", "--questions", "2", "--out", str(out),
               "--", "--articles", str(home / "articles"), "--index-dir", str(home / "soak-idx"))  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["answered"] > 2 and figures["errors"] == 0 and figures["leaks"] == 0
    assert figures["rss_end_mb"] > 0 and figures["rss_slope_mb_per_request"] is not None
    assert {"rss_slope_app", "rss_slope_model"} <= figures.keys()
    samples = json.loads((out / "soak.json").read_text())["rss_samples"]
    assert samples and all(app > 0 and model > 0 for _, app, model in samples)  # the app and its model process


def test_injections(home: Path) -> None:
    out = home / "injections"
    done = run(home, "-m", "eval.injections", "--limit", "2", "--out", str(out))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["variants"] == 2 and figures["hostile_passage_selected"] <= 2
    results = json.loads((out / "injections.json").read_text())["results"]
    assert [r["name"] for r in results] == ["system-ignore", "polite-note"]


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
    assert 0 <= figures["suggested_max_unnamed"] <= 1 and figures["current_max_unnamed"] == 0.375
    saved = json.loads((out / "names_calibration.json").read_text())
    assert {q["source"] for q in saved["questions"]} == {"seeds", "fresh", "multihop-dev"}
    assert sum(q["unanswerable"] for q in saved["questions"] if q["source"] == "multihop-dev") == 1  # the null query
    assert "multihop-dev: at 0.3750 refuses" in done.stdout


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


def test_llama_runtime_report(home: Path) -> None:
    report = json.loads(run(home, "-m", "ask.llama_runtime", "--json").stdout)
    assert report["cpu"] and report["variants"] and report["chosen"]
    assert all(v["name"] != report["chosen"] or not v["unusable"] for v in report["variants"])


def test_app_help_and_start(home: Path) -> None:
    from gradio_client import Client

    from ui.browser import start_app

    assert "--articles" in run(home, "app.py", "--help").stdout
    env = {**FAKE_MODELS, "ASK_CACHE_DIR": str(home / "cache")}
    server = start_app(["--articles", str(home / "articles"), "--index-dir", str(home / "app-idx")],
                       home / "app.log", env=env)  # fmt: skip
    try:
        answer = Client(server.url, verbose=False).predict(
            question="How much was trade between Hunan and the UK in 2018?", api_name="/ask"
        )
        assert answer["citations"] and not answer["abstained"]
    finally:
        server.stop()
    log = (home / "app.log").read_text()
    assert "index ready" in log and "Model ready" in log and "Running on local URL" in log


@pytest.mark.real
def test_browser_timings(home: Path) -> None:
    out = home / "browser"
    run(home, "-m", "eval.browser", "--limit", "1", "--gold", str(home / "gold.jsonl"), "--out", str(out))
    figures = json.loads((out / "browser.json").read_text())
    assert figures["n_questions"] == 1 and figures["total_p50_s"] > 0
