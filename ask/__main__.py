"""Command line: python -m ask "question" [--json] [--model M] [--backend B] [--index-dir DIR].

Prints the cited preview at once, then the verified answer and its sources (the model's words
are shown only once checked). The default index is built from data/articles/ first if there is none.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ask import Answer, BadQuestion, Event, Pipeline, Preview, answer_dict, load_generator
from config import Config
from console import quiet_libraries
from index import (
    CorpusEmpty,
    IndexProblem,
    ModelUnavailable,
    load_embedder,
    open_retriever,
)
from index.library import Library


def render_sources(answer: Answer) -> str:
    cited = {c.number: c for c in answer.citations}
    heading = "Nearest passages:" if answer.abstained else "Sources:"
    lines = [heading]
    for p in answer.sources if answer.abstained else [p for p in answer.sources if p.number in cited]:
        d = p.document
        meta = " | ".join(x for x in (d.published, d.publisher, d.url or d.path) if x)
        quote = cited[p.number].quote if p.number in cited else " ".join(p.text.split())[:300]
        lines.append(f"[{p.number}] {d.title} ({meta}), chars {p.start}-{p.end}\n    “{quote}”")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m ask", description="Ask the indexed articles a question.")
    parser.add_argument("question")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON only")
    parser.add_argument(
        "--model",
        default=config.model,
        help="GGUF path, HF folder, Hub id or openai://HOST:PORT/MODEL (default: packaged)",
    )
    parser.add_argument("--backend", choices=["llama.cpp", "transformers"], default=config.backend)
    parser.add_argument("--index-dir", type=Path, default=config.index_dir)
    parser.add_argument(
        "--store", default=config.store, help="the index in Milvus: milvus-lite:PATH.db or milvus://HOST:PORT"
    )
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    config = replace(config, model=args.model, backend=args.backend, index_dir=args.index_dir, store=args.store)
    try:
        pipeline = _pipeline(config)
        events = pipeline.stream(args.question)
        answer = _print_stream(events, quiet=args.json)
    except (BadQuestion, IndexProblem, CorpusEmpty, ModelUnavailable) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer_dict(answer), indent=1, ensure_ascii=False))
    else:
        print(f"\n\n{'Answer' if not answer.abstained else 'No answer'}: {answer.text}\n\n{render_sources(answer)}")
    return 0


def _pipeline(config: Config) -> Pipeline:
    """The default index is (re)built from data/articles/ when missing or made by another embedder."""
    c, embedder = config, load_embedder(config.embedder, config.cache_dir)
    if config.index_dir == Config().index_dir:
        library = Library(c.articles_dir, c.index_place, embedder, c.search, c.chunk_tokens, c.overlap_sentences)
        report = library.open()
        for line in report.lines()[-1:] if report else []:
            print(line, file=sys.stderr)
        retriever = library.retriever
    else:
        retriever = open_retriever(config.index_place, embedder, config.search)
    generator = load_generator(config.model, config.backend, config.cache_dir)
    return Pipeline(retriever, generator, config.answer)


def _print_stream(events: Iterator[Event], quiet: bool) -> Answer:
    for event in events:
        if isinstance(event, Answer):
            return event
        if quiet:
            continue
        if isinstance(event, Preview):
            print(f"Preview: {event.text} [{event.citation.number}]\n\nChecking the model's answer…", flush=True)
    raise RuntimeError("the pipeline ended without an answer")


if __name__ == "__main__":
    sys.exit(main())
