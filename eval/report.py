"""The eval's human-readable outputs: a markdown report with a per-question table, and a PNG chart."""

from __future__ import annotations

from pathlib import Path

from ask import Answer
from eval.scoring import Gold, contains_answer, good_citations, strip_markers

QUALITY = [
    ("answer_accuracy", "answer accuracy", 0.90),
    ("answer_f1", "answer F1", None),
    ("citation_precision", "citation precision", 0.95),
    ("citation_recall", "citation recall", 0.90),
    ("quote_accuracy", "highlight holds answer", None),
    ("abstention_precision", "abstention precision", 0.90),
    ("abstention_recall", "abstention recall", 0.90),
    ("retrieval_hit@5", "retrieval hit@5", None),
    ("retrieval_mrr", "retrieval MRR", None),
]
TIMES = ["preview_p50_s", "ttft_p50_s", "ttft_p95_s", "total_p50_s", "total_p95_s"]


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def markdown(metrics: dict, results: list[tuple[Gold, Answer, list[str]]], title: str) -> str:
    lines = [f"# {title}", "", f"Model `{metrics['model']}`, gold file `{metrics['gold']}`, "
             f"{metrics['n_questions']} questions ({metrics['n_unanswerable']} unanswerable), "
             f"machine: {metrics['machine']}.", "", "| metric | value | target |", "|---|---|---|"]  # fmt: skip
    for key, label, target in QUALITY:
        lines.append(f"| {label} | {_fmt(metrics[key])} | {'≥ ' + str(target) if target else ''} |")
    for key in TIMES:
        lines.append(f"| {key} | {_fmt(metrics[key], 2)} | |")
    v = metrics["verifier"]
    lines += [
        "",
        f"The model's drafts before verification: accuracy {_fmt(metrics['draft_accuracy'])}; the verifier kept "
        f"{_fmt(metrics['verifier_keeps_right'])} of the right drafts and cut {_fmt(metrics['verifier_cuts_wrong'])} "
        "of the wrong ones.",
        "",
        "| draft | kept | cut |",
        "|---|---|---|",
        f"| right | {v['right_kept']} | {v['right_cut']} |",
        f"| wrong | {v['wrong_kept']} | {v['wrong_cut']} |",
        "",
        f"Abstained before asking the model (weak evidence): {v['not_asked']}.",
    ]
    lines += [
        "",
        "![metrics](chart.png)",
        "",
        "| id | question | expected | answer | ok | citations | s |",
        "|---|---|---|---|---|---|---|",
    ]
    for gold, answer, _ in results:
        if gold.unanswerable:
            ok = answer.abstained
            expected = "(unanswerable)"
        else:
            ok = not answer.abstained and contains_answer(strip_markers(answer.text), gold.answers)
            expected = " / ".join(gold.answers)
        cites = ", ".join(
            f"[{c.number}] {Path(c.path).name[:3]}{'' if good else ' ✗'}"
            for c, good in zip(answer.citations, good_citations(answer, gold), strict=True)
        )
        lines.append(
            f"| {gold.id} | {_cell(gold.question)} | {_cell(expected)} | {_cell(answer.text)} | "
            f"{'✓' if ok else '✗'} | {cites} | {answer.timings.total_s:.1f} |"
        )
    return "\n".join(lines) + "\n"


def chart(metrics: dict, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [3, 1.3]})
    labels = [label for _, label, _ in QUALITY]
    values = [metrics[key] or 0.0 for key, _, _ in QUALITY]
    bars = left.barh(labels[::-1], values[::-1], color="#4c72b0")
    for (_, _, target), bar in zip(QUALITY[::-1], bars, strict=True):
        if target:
            left.plot([target, target], [bar.get_y(), bar.get_y() + bar.get_height()], color="#c44e52", lw=2)
    for bar, value in zip(bars, values[::-1], strict=True):
        left.text(min(value, 0.93) + 0.01, bar.get_y() + bar.get_height() / 2, f"{value:.2f}", va="center")
    left.set_xlim(0, 1.05)
    left.set_title("quality (red: target)")
    times = [metrics[k] or 0.0 for k in TIMES]
    right.bar(range(len(TIMES)), times, color="#55a868")
    right.set_xticks(
        range(len(TIMES)), [k.removesuffix("_s").replace("_", " ") for k in TIMES], rotation=40, ha="right"
    )
    right.set_ylabel("seconds")
    right.set_title("latency")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
