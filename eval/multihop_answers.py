"""Answer accuracy on MultiHop-RAG: the benchmark's lenient rule and a strict variant.

Lenient (upstream qa_evaluate.py): lowercase both, split on whitespace; correct when the answer
shares at least one token with the gold answer. Tokens are compared without the punctuation around
them, since our answers are sentences ("Yes. [1]" must match "Yes"). Strict: the SQuAD-normalised gold answer is
contained in the answer. An abstention is scored as the benchmark's own answer for unanswerable
queries, "Insufficient information.".
"""

from __future__ import annotations

import json
import statistics
import string
import time
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

from ask import ABSTAIN_TEXT, Pipeline
from eval.benchmark import Query
from eval.scoring import normalize, strip_markers

NULL_ANSWER = "Insufficient information."


def _tokens(text: str) -> set[str]:
    return {t.strip(string.punctuation + "“”‘’") for t in text.lower().split()} - {""}


def lenient(prediction: str, gold: str) -> bool:
    return bool(_tokens(prediction) & _tokens(gold))


def strict(prediction: str, gold: str) -> bool:
    return bool(normalize(gold)) and f" {normalize(gold)} " in f" {normalize(prediction)} "


def answer_report(pipeline: Pipeline, queries: list[Query], log: Path) -> tuple[dict, list[dict]]:
    """Accuracy over the non-null queries, overall and per question type, abstention on the null
    ones, and what verification did to the drafts. Each answered query is appended to `log` as it
    is done; a rerun with the same log answers only the queries it lacks (resumable)."""
    done = {}
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row.get("query") is not None:
                done[row["position"]] = row
    with log.open("a", encoding="utf-8") as out:
        for q in tqdm([q for q in queries if q.position not in done], desc="answering", unit="query"):
            started = time.perf_counter()
            answer = pipeline.answer(q.text)
            prediction = NULL_ANSWER if answer.abstained else strip_markers(answer.text)
            row = {
                "position": q.position, "type": q.type, "query": q.text, "gold": q.answer, "answer": answer.text,
                "raw": answer.raw, "abstained": answer.abstained, "removed": answer.removed, "support": answer.support,
                "asked_model": answer.timings.first_token_s > 0, "lenient": lenient(prediction, q.answer),
                "strict": strict(prediction, q.answer), "seconds": time.perf_counter() - started,
            }  # fmt: skip
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            done[q.position] = row
    rows = [done[q.position] for q in queries]
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_type[row["type"]].append(row)
    null = by_type.pop("null_query", [])
    answerable = [r for r in rows if r["type"] != "null_query"]
    report = {
        **_accuracy(answerable),
        "by_type": {t: _accuracy(r) for t, r in sorted(by_type.items())},
        "n_null": len(null),
        "abstention_recall_null": statistics.fmean(r["abstained"] for r in null) if null else None,
        "abstention_rate_answerable": statistics.fmean(r["abstained"] for r in answerable) if answerable else None,
        "seconds_p50": statistics.median(r["seconds"] for r in rows) if rows else None,
        "drafts": _drafts(rows),
    }
    return report, rows


def _drafts(rows: list[dict]) -> dict:
    """The model's drafts (strict rule; a null query's right draft abstains) kept or cut."""
    table = {"right_kept": 0, "right_cut": 0, "wrong_kept": 0, "wrong_cut": 0, "not_asked": 0}
    for r in rows:
        if not r.get("asked_model", True):
            table["not_asked"] += 1
            continue
        draft_abstains = not r["raw"].strip() or normalize(ABSTAIN_TEXT) in normalize(r["raw"])
        if r["type"] == "null_query":
            draft_ok, final_ok = draft_abstains, r["abstained"]
        else:
            draft_ok, final_ok = not draft_abstains and strict(strip_markers(r["raw"]), r["gold"]), r["strict"]
        if draft_ok:
            table["right_kept" if final_ok else "right_cut"] += 1
        else:
            table["wrong_kept" if not final_ok and not r["abstained"] else "wrong_cut"] += 1
    right, wrong = table["right_kept"] + table["right_cut"], table["wrong_kept"] + table["wrong_cut"]
    return {**table, "draft_accuracy": right / (right + wrong) if right + wrong else None,
            "keeps_right": table["right_kept"] / right if right else None,
            "cuts_wrong": table["wrong_cut"] / wrong if wrong else None}  # fmt: skip


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
        f"Model `{model}`, on {report['machine']}. Lenient = the benchmark's rule (one shared token); "
        "strict = gold answer contained.",
        "",
        "| question type | n | lenient | strict |",
        "|---|---|---|---|",
    ]
    for name, m in [("all", report), *report["by_type"].items()]:
        lines.append(f"| {name} | {m['n_queries']} | {m['accuracy_lenient']:.3f} | {m['accuracy_strict']:.3f} |")
    d = report["drafts"]
    lines += [
        "",
        f"Over the non-null queries. Abstained on {report['abstention_recall_null'] or 0:.0%} of the "
        f"{report['n_null']} null queries and {report['abstention_rate_answerable'] or 0:.0%} of the answerable "
        f"ones; median {report['seconds_p50'] or 0:.1f} s a query.",
        "",
        f"Drafts (strict rule): accuracy {d['draft_accuracy'] or 0:.3f}; right drafts kept {d['right_kept']}, "
        f"cut {d['right_cut']}; wrong drafts cut {d['wrong_cut']}, kept {d['wrong_kept']}; "
        f"abstained before asking the model {d['not_asked']}.",
        "",
        "Paper, Table 6 (retrieved chunks, lenient rule): GPT-4 0.56, Claude-2.1 0.52, ChatGPT 0.44, "
        "Mixtral-8x7B 0.32, Llama-2-70B 0.28.",
    ]
    return "\n".join(lines) + "\n"
