"""Every command README.md shows, run as a user runs it: a real process, real files, real flags.

The models are the fakes of tests/fakes.py, named through ASK_EMBEDDER and ASK_MODEL (the
model still runs in its own process; tests/readme.py). The MultiHop-RAG and calibration commands
are in tests/test_readme_benchmark_commands.py. A refactor that breaks a command fails here; a
command added to the README without a test fails `test_every_readme_command_is_tested`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from config import ROOT
from tests.conftest import SEEDS
from tests.fakes import FAKE_MODELS
from tests.readme import run

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
    "-m eval.calibrate_alone",
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
