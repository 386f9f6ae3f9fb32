"""Command line: python -m index {build,search,stats}. Thin: parse, call one function, print."""

from __future__ import annotations

import argparse
import errno
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from config import Config
from console import quiet_libraries
from index import (
    BuildReport,
    CorpusEmpty,
    Embedder,
    IndexProblem,
    ModelUnavailable,
    build_index,
    load_embedder,
    open_retriever,
)
from index.library_files import disk_problem
from index.settings import make_filters
from index.store import IndexNotFound
from index.stores import open_store
from ingest import Document


def main(argv: list[str] | None = None) -> int:
    config = Config()
    # --index-dir and --embedder may come before the command or after it
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, default=argparse.SUPPRESS, help=f"default: {config.index_dir}")
    common.add_argument(
        "--store", default=argparse.SUPPRESS, help="a Milvus store instead: milvus-lite:PATH.db or milvus://HOST:PORT"
    )
    common.add_argument(
        "--embedder", default=argparse.SUPPRESS, help="sentence-transformers id or folder (default: packaged MiniLM)"
    )
    parser = argparse.ArgumentParser(
        prog="python -m index", description="Build and search the article index.", parents=[common]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="index article files (incremental)", parents=[common])
    build.add_argument("paths", nargs="*", type=Path, default=[config.articles_dir], help="files or folders")
    build.add_argument("--chunk-tokens", type=int, default=config.chunk_tokens)
    build.add_argument("--overlap-sentences", type=int, default=config.overlap_sentences)
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    search = commands.add_parser("search", help="search the index", parents=[common])
    search.add_argument("query")
    search.add_argument("-k", type=int, default=config.top_k)
    search.add_argument("--json", action="store_true")
    search.add_argument("--from", dest="date_from", help="published on or after (YYYY, YYYY-MM or YYYY-MM-DD)")
    search.add_argument("--to", dest="date_to", help="published on or before (YYYY, YYYY-MM or YYYY-MM-DD)")
    search.add_argument("--publisher", action="append", default=[], help="only this publisher (repeatable)")
    stats = commands.add_parser("stats", help="what the index holds", parents=[common])
    stats.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    given = {k: v for k, v in vars(args).items() if k in ("index_dir", "store", "embedder")}
    config = replace(config, **given)
    try:
        if args.command == "build":
            return _build(args, config)
        if args.command == "search":
            return _search(args, config)
        return _stats(args, config)
    except (IndexProblem, CorpusEmpty, ModelUnavailable, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a full disk, a folder that cannot be written or read
        where = f"{err.filename}: " if err.filename else ""
        why = disk_problem(err) if err.errno == errno.ENOSPC else err.strerror or str(err)
        print(f"error: {where}{why}", file=sys.stderr)
        return 2


def _embedder(config: Config) -> Embedder:
    """The one named, else the one the index was built with."""
    if config.embedder is None:
        try:
            return load_embedder(open_store(config.index_place).manifest()["embedder"]["name"], config.cache_dir)
        except IndexNotFound:
            pass
    return load_embedder(config.embedder, config.cache_dir)


def _build(args: argparse.Namespace, config: Config) -> int:
    embedder = load_embedder(config.embedder, config.cache_dir)
    report: BuildReport = build_index(
        args.paths, config.index_place, embedder, args.chunk_tokens, args.overlap_sentences, progress=not args.quiet
    )
    print("\n".join(report.lines()))
    return 0


def _search(args: argparse.Namespace, config: Config) -> int:
    filters = make_filters(args.date_from, args.date_to, args.publisher)
    retriever = open_retriever(config.index_place, _embedder(config), config.search)
    hits = retriever.search(args.query, k=args.k, filters=filters)
    if args.json:
        rows = [{"score": h.score, "chunk": asdict(h.chunk), "document": _doc_meta(h.document)} for h in hits]
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    if not hits:
        print("no matching passages")
    for rank, hit in enumerate(hits, start=1):
        d = hit.document
        meta = " | ".join(x for x in (d.published, d.publisher, d.path) if x)
        print(f"[{rank}] {hit.score:.4f}  {d.title}\n    {meta}  chars {hit.chunk.start}-{hit.chunk.end}")
        print("    " + " ".join(hit.chunk.text.split())[:400] + "\n")
    return 0


def _doc_meta(document: Document) -> dict:
    meta = asdict(document)
    meta.pop("text")
    return meta


def _stats(args: argparse.Namespace, config: Config) -> int:
    manifest = open_store(config.index_place).manifest()
    summary = {k: v for k, v in manifest.items() if k not in ("documents", "duplicates", "skipped")}
    summary.update(n_duplicates=len(manifest["duplicates"]), n_skipped=len(manifest["skipped"]))
    if args.json:
        print(json.dumps(manifest, indent=1, ensure_ascii=False))
        return 0
    for key, value in summary.items():
        print(f"{key}: {value}")
    for doc in manifest["documents"].values():
        meta = " | ".join(x for x in (doc["published"], doc["publisher"], doc["path"]) if x)
        print(f"  {doc['n_chunks']:4d} chunks  {doc['title']}  ({meta})")
    for dup in manifest["duplicates"]:
        print(f"  duplicate  {dup['path']} repeats {dup['duplicate_of']} ({dup['similarity']:.0%})")
    for skip in manifest["skipped"]:
        print(f"  skipped    {skip['path']}: {skip['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
