"""Answer accuracy on MultiHop-RAG: the benchmark's lenient rule and a strict variant.

Lenient (upstream qa_evaluate.py): lowercase both, split on whitespace; correct when the answer
shares at least one token with the gold answer. Tokens are compared without the punctuation around
them, since our answers are sentences ("Yes. [1]" must match "Yes"). Strict: the SQuAD-normalised gold answer is
contained in the answer. An abstention is scored as the benchmark's own answer for unanswerable
queries, "Insufficient information.".
"""

from __future__ import annotations

import statistics
import string
import time
from collections import defaultdict

from ask import Pipeline
from eval.benchmark import Query
from eval.scoring import normalize, strip_markers

NULL_ANSWER = "Insufficient information."


def _tokens(text: str) -> set[str]:
    return {t.strip(string.punctuation + "“”‘’") for t in text.lower().split()} - {""}


def lenient(prediction: str, gold: str) -> bool:
    return bool(_tokens(prediction) & _tokens(gold))


def strict(prediction: str, gold: str) -> bool:
    return bool(normalize(gold)) and f" {normalize(gold)} " in f" {normalize(prediction)} "


def answer_report(pipeline: Pipeline, queries: list[Query]) -> tuple[dict, list[dict]]:
    """Accuracy overall and per question type, abstention on null queries, and one row per query."""
    rows = []
    for q in queries:
        started = time.perf_counter()
        answer = pipeline.answer(q.text)
        prediction = NULL_ANSWER if answer.abstained else strip_markers(answer.text)
        rows.append({
            "position": q.position, "type": q.type, "query": q.text, "gold": q.answer, "answer": answer.text,
            "abstained": answer.abstained, "lenient": lenient(prediction, q.answer),
            "strict": strict(prediction, q.answer), "seconds": time.perf_counter() - started,
        })  # fmt: skip
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_type[row["type"]].append(row)
    null = by_type.get("null_query", [])
    answerable = [r for r in rows if r["type"] != "null_query"]
    report = {
        **_accuracy(rows),
        "by_type": {t: _accuracy(r) for t, r in sorted(by_type.items())},
        "abstention_recall_null": statistics.fmean(r["abstained"] for r in null) if null else None,
        "abstention_rate_answerable": statistics.fmean(r["abstained"] for r in answerable) if answerable else None,
        "seconds_p50": statistics.median(r["seconds"] for r in rows) if rows else None,
    }
    return report, rows


def _accuracy(rows: list[dict]) -> dict:
    n = len(rows) or 1
    return {
        "n_queries": len(rows),
        "accuracy_lenient": sum(r["lenient"] for r in rows) / n,
        "accuracy_strict": sum(r["strict"] for r in rows) / n,
    }


def markdown(report: dict, split: str, model: str) -> str:
    lines = [
        f"# MultiHop-RAG answers, {split} split",
        "",
        f"Model `{model}`. Lenient = the benchmark's rule (one shared token); strict = gold answer contained.",
        "",
        "| question type | n | lenient | strict |",
        "|---|---|---|---|",
    ]
    for name, m in [("all", report), *report["by_type"].items()]:
        lines.append(f"| {name} | {m['n_queries']} | {m['accuracy_lenient']:.3f} | {m['accuracy_strict']:.3f} |")
    lines += [
        "",
        f"Abstained on {report['abstention_recall_null'] or 0:.0%} of null queries and "
        f"{report['abstention_rate_answerable'] or 0:.0%} of answerable ones; "
        f"median {report['seconds_p50'] or 0:.1f} s a query.",
        "",
        "Paper, Table 6 (retrieved chunks, lenient rule): GPT-4 0.56, Claude-2.1 0.52, ChatGPT 0.44, "
        "Mixtral-8x7B 0.32, Llama-2-70B 0.28.",
    ]
    return "\n".join(lines) + "\n"
