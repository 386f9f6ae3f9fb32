"""Speed on this machine, in one run: python -m eval.bench --out DIR [--skip-multihop] [--skip-1m].

Writes DIR/bench.json and DIR/bench.md: cold start (a new process until it can answer, caches
warm; median of --runs), first-run setup (fresh caches: the model assembled, the embedder
exported, the default articles indexed), the cited preview, time to first token and whole
answers over the seed gold questions (with that run's quality figures beside them), the model's
prefill and decode rates, embedding throughput, search latency on the seed index and on a
synthetic index of a million chunks, the MultiHop-RAG index built from scratch, and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config import ROOT, Config
from console import quiet_libraries
from eval import __main__ as answer_eval
from eval.benchmark import BenchmarkMissing, require

_READY = "ready"


def ready_probe(index_dir: Path) -> None:
    """What a fresh process does before it can answer: the index, the embedder, the model."""
    from ask import Pipeline, load_generator
    from index import load_embedder
    from index.library import Library

    c = Config()
    embedder = load_embedder(c.embedder, c.cache_dir)
    library = Library(c.articles_dir, index_dir, embedder, c.search, c.chunk_tokens, c.overlap_sentences)
    library.open()
    library.retriever.search("warm up", k=1)
    generator = load_generator(c.model, c.backend, c.cache_dir)
    print(_READY, flush=True)
    Pipeline(library.retriever, generator, c.answer).answer("How much was trade between Hunan and the UK in 2018?")
    model_mb = _peak_mb(generator.pid) if getattr(generator, "pid", None) else 0.0
    print(f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + model_mb:.0f}", flush=True)


def _peak_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB; 0 where /proc cannot tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(ln.split()[1]) / 1024 for ln in status.splitlines() if ln.startswith("VmHWM:")), 0.0)


def _spawn_until_ready(index_dir: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from process start to ready, and the process's peak memory after one answer (MB)."""
    started = time.perf_counter()
    probe = subprocess.Popen(
        [sys.executable, "-m", "eval.bench", "--ready-probe", str(index_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    ready = rss = 0.0
    for line in probe.stdout:
        if line.strip() == _READY:
            ready = time.perf_counter() - started
        elif line.startswith("rss "):
            rss = float(line.split()[1])
    if probe.wait() != 0 or not ready:
        raise RuntimeError(f"the ready probe failed with exit code {probe.returncode}")
    return ready, rss


def startup(runs: int, scratch: Path) -> dict:
    env = dict(os.environ)
    cold = [_spawn_until_ready(Config().index_dir, env) for _ in range(runs)]
    first, _ = _spawn_until_ready(scratch / "index", dict(env, ASK_CACHE_DIR=str(scratch / "cache")))
    return {
        "cold_start_s": statistics.median(s for s, _ in cold),
        "cold_start_runs_s": [s for s, _ in cold],
        "first_run_setup_s": first,
        "peak_rss_mb": statistics.median(r for _, r in cold),  # the app's process and its model's, after an answer
    }


def answers(out: Path) -> dict:
    """The answer eval on the seed gold questions: timings, and quality from the same run."""
    if answer_eval.main(["--out", str(out / "answers")]) != 0:
        raise RuntimeError("the answer eval failed")
    m = json.loads((out / "answers" / "metrics.json").read_text())
    keys = ("preview_p50_s", "ttft_p50_s", "ttft_p95_s", "total_p50_s", "total_p95_s")
    quality = ("answer_accuracy", "citation_precision", "citation_recall", "abstention_precision", "abstention_recall")
    return {**{k: m[k] for k in keys}, "quality": {k: m[k] for k in quality}}


def model_rates(prompt_tokens: int = 400, new_tokens: int = 64) -> dict:
    """Prefill and decode tokens/s of the model on llama.cpp (in its model process, on the CPU
    variant the app uses), prompt cache cleared; and that variant. Other runtimes: not measured."""
    from ask import load_generator

    c = Config()
    generator = load_generator(c.model, c.backend, c.cache_dir)
    try:
        if generator.info.get("backend") != "llama.cpp":
            print(f"note: {generator.name} does not run on llama.cpp; prefill and decode not measured", file=sys.stderr)
            return {}
        text = " ".join(p.read_text(encoding="utf-8") for p in sorted(c.articles_dir.glob("*.txt")))
        rates = generator.rates(text, prompt_tokens, new_tokens)
    finally:
        generator.close()
    return {**rates, "llama_cpu": generator.info["cpu"], "llama_system_info": generator.info["system_info"]}


def search_latency() -> dict:
    from eval.scoring import load_gold, percentile
    from index import load_embedder, open_retriever

    c = Config()
    retriever = open_retriever(c.index_dir, load_embedder(c.embedder, c.cache_dir), c.search)
    questions = [g.question for g in load_gold(ROOT / "eval" / "gold" / "seeds.jsonl")]
    retriever.search(questions[0], k=c.top_k)
    times = []
    for q in questions * 3:
        started = time.perf_counter()
        retriever.search(q, k=c.top_k)
        times.append((time.perf_counter() - started) * 1000)
    return {"search_p50_ms": percentile(times, 0.5)}


def multihop_build(scratch: Path) -> dict:
    """The MultiHop-RAG corpus indexed from scratch, and the embedder's throughput on its chunks."""
    from index import build_index, load_embedder
    from index.store import load

    c = Config()
    try:
        corpus = require(c.benchmark_dir)
    except BenchmarkMissing as err:
        print(f"{err}; index_build_s not measured", file=sys.stderr)
        return {}
    embedder = load_embedder(c.embedder, c.cache_dir)
    embedder.encode(["caches warm, as for cold_start_s"])  # an export on first use is first_run_setup_s's
    report = build_index([corpus], scratch / "multihop", embedder, c.chunk_tokens, c.overlap_sentences, progress=True)
    texts = [ch.search_text for ch in load(scratch / "multihop").chunks[:512]]
    started = time.perf_counter()
    embedder.encode(texts)
    rate = len(texts) / (time.perf_counter() - started)
    return {"index_build_s": report.seconds, "index_chunks": report.n_chunks, "embed_chunks_per_s": rate}


def million() -> dict:
    """search_p50_ms_1m, measured in its own process (its memory is not the app's)."""
    run = subprocess.run([sys.executable, "-m", "eval.synthetic"], cwd=ROOT, capture_output=True, text=True, check=True)
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    return {"search_p50_ms_1m": figures["search_p50_ms"], "synthetic_build_s": figures["build_s"]}


def markdown(figures: dict) -> str:
    rows = "\n".join(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in figures.items())
    return f"# Speed on this machine\n\n| figure | value |\n|---|---|\n{rows}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="cold starts to take the median of")
    parser.add_argument("--skip-multihop", action="store_true", help="do not time the benchmark's index build")
    parser.add_argument("--skip-1m", action="store_true", help="do not build the synthetic million-chunk index")
    parser.add_argument("--ready-probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quiet_libraries(Config().cache_dir)
    if args.ready_probe:
        ready_probe(args.ready_probe)
        return 0
    if args.out is None:
        parser.error("--out is required")
    args.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        figures = {**startup(args.runs, scratch), **answers(args.out), **model_rates(), **search_latency()}
        figures |= {} if args.skip_multihop else multihop_build(scratch)
        figures |= {} if args.skip_1m else million()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures["machine"] = answer_eval.machine()
    (args.out / "bench.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    (args.out / "bench.md").write_text(markdown(figures), encoding="utf-8")
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
