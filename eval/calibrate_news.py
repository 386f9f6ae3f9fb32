"""Choose min_news on labelled sentences: python -m eval.calibrate_news [--sample N].

The answerer cuts an answer whose facts come from a passage sentence that the model judges an
order to an assistant or reader rather than news (`ask.judge.reports`: P(news) below
`AnswerSettings.min_news`). This weighs P(news) for N sentences drawn at random from the
MultiHop-RAG corpus (real news, read from ../shared) and for the texts of
eval/calibration/messages.jsonl (orders, and answer-shaped text such as "Final answer: …",
written for this calibration apart from the injection suite's variants), each inside an article
passage in the answer prompt, as the answerer asks it: a news sentence between its neighbours,
a message between two sentences of a random article. It prints how well P(news) tells them
apart (AUC), the share of each caught at a range of thresholds, and the suggested min_news: the
--percentile-th percentile of the news sentences' P(news) (1: about one news sentence in a
hundred refused).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ask.generate import Generator
from ask.judge import reports
from ask.prompts import answer_messages, passage_header
from config import Config
from eval.benchmark import BenchmarkMissing, require
from ingest import load_corpus, split_sentences

MESSAGES = Path(__file__).resolve().parent / "calibration" / "messages.jsonl"
QUESTION = "What does the article report?"  # the check does not depend on the question; one for all
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.89, 0.9, 0.93, 0.95)


@dataclass(frozen=True)
class Probe:
    kind: str  # "news", or a message's kind ("order", "answer")
    sentence: str
    header: str  # the article's passage header, as the answerer shows it
    passage: str  # the sentence with the article's sentences around it


def load_messages(path: Path) -> list[tuple[str, str]]:
    """(kind, text) for every line of a messages file; ValueError naming a bad line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append((str(row["kind"]), str(row["text"])))
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{path}:{n}: not a {{'kind': …, 'text': …}} line ({err})") from None
    return out


def probes(corpus_file: Path, messages: list[tuple[str, str]], sample: int, seed: int) -> list[Probe]:
    """`sample` news sentences (over 30 characters) of the corpus and every message, each set in
    a passage of an article read as the app reads it."""
    rng = random.Random(seed)
    articles = []
    for doc in load_corpus([corpus_file]).documents:
        sentences = [doc.text[s:e] for s, e in split_sentences(doc.text)]
        if len(sentences) >= 3:
            articles.append((passage_header(doc), sentences))
    news = [(a, i) for a, (_, sentences) in enumerate(articles) for i, s in enumerate(sentences) if len(s) > 30]
    out = []
    for a, i in rng.sample(news, min(sample, len(news))):
        header, sentences = articles[a]
        out.append(Probe("news", sentences[i], header, " ".join(sentences[max(i - 1, 0) : i + 2])))
    for kind, text in messages:
        header, sentences = articles[rng.randrange(len(articles))]
        i = rng.randrange(1, len(sentences))
        out.append(Probe(kind, text, header, " ".join([sentences[i - 1], text, sentences[i]])))
    return out


def weigh(generator: Generator, probe: Probe) -> float | None:
    """The model's P(news) for the probe's sentence, asked as the answerer asks it."""
    return reports(generator, answer_messages(QUESTION, [(1, probe.header, probe.passage)]), 1, probe.sentence)


def summary(weighed: dict[str, list[float]], percentile: float) -> dict:
    """AUC of news against all messages, the share of each kind under each threshold, and the
    suggested threshold (the `percentile`-th percentile of news)."""
    news = np.array(weighed.get("news", []))
    others = np.array([p for kind, ps in weighed.items() if kind != "news" for p in ps])
    if not len(news) or not len(others):
        raise ValueError("need news sentences and messages to compare")
    auc = float(np.mean(news[:, None] > others[None, :]) + 0.5 * np.mean(news[:, None] == others[None, :]))
    suggested = round(float(np.percentile(news, percentile)), 3)
    below = {kind: {f"{t:g}": float(np.mean(np.array(ps) < t)) for t in sorted({*THRESHOLDS, suggested})}
             for kind, ps in weighed.items()}  # fmt: skip
    return {"auc": round(auc, 3), "percentile": percentile, "suggested_min_news": suggested,
            "counts": {k: len(v) for k, v in weighed.items()}, "share_below": below}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_news", description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200, help="news sentences drawn from the corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--percentile", type=float, default=1.0, help="of news P(news): the suggested min_news")
    parser.add_argument("--messages", type=Path, default=MESSAGES, help="JSONL of {kind, text}: what is not news")
    parser.add_argument("--benchmark-dir", type=Path, default=config.benchmark_dir)
    parser.add_argument("--model", default=config.model, help="GGUF path, HF folder, Hub id or openai://…")
    parser.add_argument("--out", type=Path, default=None, help="write news_calibration.json (every P) here")
    args = parser.parse_args(argv)
    try:
        corpus_file = require(args.benchmark_dir)
        messages = load_messages(args.messages)
    except BenchmarkMissing as err:
        print(f"skipped: {err}", file=sys.stderr)
        return 0
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from ask import load_generator

    generator = load_generator(args.model, config.backend, config.cache_dir)
    chosen = probes(corpus_file, messages, args.sample, args.seed)
    weighed: dict[str, list[float]] = {}
    rows = []
    for n, probe in enumerate(chosen, 1):
        p = weigh(generator, probe)
        if p is None:
            print("error: this model cannot weigh replies (no choose)", file=sys.stderr)
            return 2
        weighed.setdefault(probe.kind, []).append(p)
        rows.append({"kind": probe.kind, "sentence": probe.sentence, "p_news": round(p, 4)})
        print(f"\r{n}/{len(chosen)} weighed", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    result = summary(weighed, args.percentile)
    kinds = list(weighed)
    print(f"AUC (news above messages): {result['auc']}   counts: {result['counts']}")
    print("threshold  " + "  ".join(f"{k + ' below':>13}" for k in kinds))
    for t in result["share_below"]["news"]:
        print(f"{t:>9}  " + "  ".join(f"{result['share_below'][k][t]:13.3f}" for k in kinds))
    print(json.dumps({"suggested_min_news": result["suggested_min_news"], "auc": result["auc"]}))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "news_calibration.json").write_text(json.dumps(result | {"probes": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
