"""A long run under load: python -m eval.soak [--clients 8] [--minutes 10] [--out DIR] [--url URL].

Starts the app (unless --url), answers each question once alone (the reference), then has
`--clients` API clients ask the questions over and over, each in its own order, for `--minutes`.
Every answer is compared with its question's reference: an error is a failed request, a leak an
answer that differs from the one its question gets alone (another session's words in it). The
app's memory (its process and the model's, resident) is sampled throughout; the RSS slope is the
least-squares MB per answered request, of both together and of each alone. Prints one JSON line
and writes DIR/soak.json (with the memory samples).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from config import ROOT
from eval.scoring import load_gold, percentile
from ui.browser import start_app


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of `pid` itself and of its descendants (the model's process), in MB."""
    own, children, todo = 0.0, 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            mb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024
            todo += [int(c) for t in Path(f"/proc/{p}/task").iterdir() for c in (t / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
        if p == pid:
            own += mb
        else:
            children += mb
    return own, children


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (0 for fewer than two distinct x)."""
    if len({x for x, _ in points}) < 2:
        return 0.0
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def soak(url: str, questions: list[str], clients: int, seconds: float, pid: int | None) -> dict:
    from gradio_client import Client

    def asked(client, question: str) -> str:
        return client.predict(question=question, api_name="/ask")["text"]

    reference = {q: asked(Client(url, verbose=False), q) for q in questions}
    latencies: list[float] = []
    errors: list[str] = []
    leaks: list[dict] = []
    memory: list[tuple[float, float, float]] = []  # (answered, app MB, model MB)
    lock, stop = threading.Lock(), time.monotonic() + seconds

    def client_loop(n: int) -> None:
        client, turn = Client(url, verbose=False), n
        while time.monotonic() < stop:
            question = questions[turn % len(questions)]
            turn += 1
            started = time.perf_counter()
            try:
                text = asked(client, question)
            except Exception as err:  # counted: a soak reports failures rather than stopping
                with lock:
                    errors.append(f"{type(err).__name__}: {err}"[:300])
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                if text != reference[question]:
                    leaks.append({"question": question, "expected": reference[question], "got": text})

    threads = [threading.Thread(target=client_loop, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if pid:
            with lock:
                memory.append((float(len(latencies)), *rss_mb(pid)))
        time.sleep(2)
    answered = len(latencies)
    return {
        "clients": clients, "seconds": seconds, "questions": len(questions), "answered": answered,
        "errors": len(errors), "error_samples": errors[:5], "leaks": len(leaks), "leak_samples": leaks[:3],
        "latency_p50_s": percentile(latencies, 0.5), "latency_p95_s": percentile(latencies, 0.95),
        **_memory(memory),
    }  # fmt: skip


def _memory(samples: list[tuple[float, float, float]]) -> dict:
    """Start, end and least-squares slope (MB a request) of the app's and the model's memory
    together, the slope of each alone, and the samples (at most 60, evenly spread)."""
    if not samples:
        return {"rss_start_mb": None, "rss_end_mb": None, "rss_slope_mb_per_request": None}
    total = [(n, app + model) for n, app, model in samples]
    step = max(1, len(samples) // 60)
    return {
        "rss_start_mb": total[0][1], "rss_end_mb": total[-1][1], "rss_slope_mb_per_request": slope(total),
        "rss_slope_app": slope([(n, app) for n, app, _ in samples]),
        "rss_slope_model": slope([(n, model) for n, _, model in samples]),
        "rss_samples": [[n, round(app, 1), round(model, 1)] for n, app, model in samples[::step]],
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "seeds.jsonl")
    parser.add_argument("--questions", type=int, default=8, help="how many of the gold file's questions")
    parser.add_argument("--url", help="a running app (default: start one; memory is then measured too)")
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "soak")
    parser.add_argument("app_args", nargs="*", help="after --: arguments for the app it starts")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    questions = [g.question for g in load_gold(args.gold) if not g.before][: args.questions]
    server = None if args.url else start_app(args.app_args, args.out / "app.log")
    try:
        url = args.url or server.url
        report = soak(url, questions, args.clients, args.minutes * 60, server.process.pid if server else None)
    finally:
        if server:
            server.stop()
    (args.out / "soak.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if not k.endswith("samples")}))
    return 0 if report["errors"] == 0 and report["leaks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
