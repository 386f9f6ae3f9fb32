"""The index in Milvus: chunk vectors, Milvus's own BM25 over our analyzer's words, and the news
metadata as scalar fields that date and publisher filters run on inside the engine. Searching
it is `index.milvus_search`.

One address picks it: `milvus-lite:PATH.db[/COLLECTION]` (Milvus Lite, in this process) or
`milvus://HOST:PORT[/COLLECTION]` (`milvus+https://`; a token from MILVUS_TOKEN) for a Milvus
server, standalone or cluster. Nothing below depends on which.

Each build writes a new generation, `<name>_gNNNNNN` (one row per chunk) and `<name>_gNNNNNN_docs`
(the documents' JSON, and the manifest, split into parts), and only then points the alias `<name>`
at it; readers resolve the alias, so an interrupted build is never searched and processes sharing
the store see a finished build at once. Ranking is our own fusion over the engine's candidates
(`index.search.Ranker`), the same as for local files.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np

from console import PYMILVUS_LOGGERS, quiet_imported
from index.dense import FLAT_LIMIT
from index.embed import Embedder
from index.lexical import tokenize
from index.search import Ranker
from index.settings import SearchSettings
from index.store import IndexCorrupt, IndexNotFound, IndexProblem, StoredIndex, check_compatible, rebuild_hint
from ingest import Chunk, Document

MANIFEST = "__manifest__"  # the docs collection's row holding the manifest (document ids are hex)
PART = 16_000  # characters of JSON per row: at most 64,000 bytes, within a VARCHAR's 65,535
BATCH = 1_000
FIELDS = ["row", "id", "doc_id", "text", "start", "end", "header", "n_tokens", "publisher", "published"]
_ADDRESS = re.compile(
    r"^(?:milvus-lite:(?P<path>.+?\.db)|milvus(?P<tls>\+https)?://(?P<host>[^/]+))(?:/(?P<name>\w+))?$"
)


class MilvusStore:
    """One alias of one Milvus deployment; see the module docstring."""

    def __init__(self, address: str) -> None:
        match = _ADDRESS.match(address)
        if not match:
            raise IndexProblem(
                f"cannot read store address {address!r}: use milvus-lite:PATH.db[/NAME] or milvus://HOST:PORT[/NAME]"
            )
        self.where = address
        self.name = match["name"] or "articles"
        if match["path"]:
            path = Path(match["path"]).expanduser().resolve()
            path.parent.mkdir(parents=True, exist_ok=True)
            self._uri = str(path)
        else:
            self._uri = f"{'https' if match['tls'] else 'http'}://{match['host']}"
        self._client = None
        self._loaded: set[str] = set()

    @property
    def client(self):  # a pymilvus.MilvusClient, connected on first use
        if self._client is None:
            from pymilvus import MilvusClient

            quiet_imported(*PYMILVUS_LOGGERS)
            try:
                self._client = MilvusClient(uri=self._uri, token=os.environ.get("MILVUS_TOKEN", ""), timeout=30)
            except Exception as err:  # pymilvus raises its own and grpc's errors
                raise IndexProblem(f"cannot reach Milvus at {self.where}: {reason(err)}") from None
        return self._client

    def generation(self) -> str:
        """The collection the alias points at, or '' when there is none."""
        try:
            if self.name not in self.client.list_aliases().get("aliases", []):
                return ""
            return self.client.describe_alias(self.name)["collection_name"]
        except IndexProblem:
            raise
        except Exception as err:
            raise IndexProblem(f"cannot read Milvus at {self.where}: {reason(err)}") from None

    def manifest(self) -> dict:
        body = self._blob(self.live(), MANIFEST)
        if body is None:
            self._damaged("its manifest is missing")
        return json.loads(body)

    def load(self, embedder_name: str | None = None) -> StoredIndex:
        """Everything, in memory: what an incremental build reuses (searching does not need it)."""
        live = self.live()
        manifest = self.manifest()
        check_compatible(manifest, self.where, embedder_name)
        documents: dict[str, Document] = {}
        for doc_id, body in _joined(self.rows(f"{live}_docs", ["doc_id", "part", "body"])):
            if doc_id != MANIFEST:
                documents[doc_id] = Document(**json.loads(body))
        rows = sorted(self.rows(live, [*FIELDS, "dense"]), key=lambda r: r["row"])
        if len(rows) != manifest.get("n_chunks"):
            self._damaged(f"it holds {len(rows)} chunks, its manifest says {manifest.get('n_chunks')}")
        chunks = [chunk_of(r) for r in rows]
        vectors = np.array([r["dense"] for r in rows], dtype=np.float32).reshape(len(rows), -1)
        return StoredIndex(manifest, documents, chunks, dense=None, bm25=None, _vectors=vectors)

    def save(self, index: StoredIndex) -> None:
        """Write `index` as a new generation, then point the alias at it and drop the older ones."""
        client = self.client
        ours = re.compile(rf"^{self.name}_g(\d{{6}})(_docs)?$")
        existing = [n for n in client.list_collections() if ours.match(n)]
        number = 1 + max((int(ours.match(n)[1]) for n in existing), default=0)
        live, previous = f"{self.name}_g{number:06d}", self.generation()
        try:
            self._write_documents(f"{live}_docs", index)
            self._write_chunks(live, index)
            if previous:
                client.alter_alias(live, self.name)
            else:
                client.create_alias(live, self.name)
        except BaseException:
            for name in (live, f"{live}_docs"):
                _quietly(client.drop_collection, name)
            raise
        for name in existing:  # older generations and what interrupted builds left; the one
            if not name.startswith(previous or "-"):  # just replaced stays for searches under way
                _quietly(client.drop_collection, name)

    def retriever(self, embedder: Embedder, settings: SearchSettings) -> Ranker:
        from index.milvus_search import MilvusRetriever

        return MilvusRetriever(self, embedder, settings)

    # -- writing

    def _write_documents(self, name: str, index: StoredIndex) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=128)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=128)
        schema.add_field("part", DataType.INT64)
        schema.add_field("body", DataType.VARCHAR, max_length=65_535)
        schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants one vector field
        params = self.client.prepare_index_params()
        params.add_index("unused", index_type="FLAT", metric_type="L2")
        self.client.create_collection(name, schema=schema, index_params=params)
        bodies = [(d.id, json.dumps(asdict(d), ensure_ascii=False)) for d in index.documents.values()]
        bodies.append((MANIFEST, json.dumps(index.manifest, ensure_ascii=False)))
        rows = [
            {"key": f"{doc_id}#{n}", "doc_id": doc_id, "part": n, "body": body[at : at + PART], "unused": [0.0, 0.0]}
            for doc_id, body in bodies
            for n, at in enumerate(range(0, max(1, len(body)), PART))
        ]
        for at in range(0, len(rows), BATCH):
            self.client.insert(name, rows[at : at + BATCH])

    def _write_chunks(self, name: str, index: StoredIndex) -> None:
        from pymilvus import DataType, Function, FunctionType

        vectors = index.vectors()
        schema = self.client.create_schema(auto_id=False)
        schema.add_field("row", DataType.INT64, is_primary=True)
        for field, length in (("id", 256), ("doc_id", 128), ("header", 2_048), ("publisher", 512), ("published", 16)):
            schema.add_field(field, DataType.VARCHAR, max_length=length)
        schema.add_field("text", DataType.VARCHAR, max_length=65_535)
        # our analyzer's words (stemmed, stopwords out), so BM25 ranks as it does on local files
        schema.add_field("words", DataType.VARCHAR, max_length=65_535, enable_analyzer=True)
        for field in ("start", "end", "n_tokens"):
            schema.add_field(field, DataType.INT64)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=int(vectors.shape[1]))
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                     input_field_names=["words"], output_field_names=["sparse"]))  # fmt: skip
        params = self.client.prepare_index_params()
        n = len(index.chunks)
        if n <= FLAT_LIMIT:
            params.add_index("dense", index_type="FLAT", metric_type="IP")
        else:
            params.add_index("dense", index_type="IVF_FLAT", metric_type="IP", params={"nlist": int(math.sqrt(n))})
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"bm25_k1": 1.5, "bm25_b": 0.75})  # bm25s's defaults  # fmt: skip
        self.client.create_collection(name, schema=schema, index_params=params)
        for at in range(0, n, BATCH):
            part = index.chunks[at : at + BATCH]
            words = tokenize([c.search_text for c in part])
            self.client.insert(name, [
                {"row": at + i, "id": c.id, "doc_id": c.doc_id, "header": c.header[:500], "text": c.text,
                 "words": _fit(" ".join(w)), "start": c.start, "end": c.end, "n_tokens": c.n_tokens,
                 "publisher": (d.publisher or "")[:128], "published": d.published or "",
                 "dense": vectors[at + i].tolist()}
                for i, (c, w) in enumerate(zip(part, words, strict=True))
                for d in [index.documents[c.doc_id]]
            ])  # fmt: skip
        _quietly(self.client.flush, name)

    # -- reading

    def live(self) -> str:
        """The live generation, loaded into the engine's memory (a restarted engine releases it)."""
        live = self.generation()
        if not live:
            raise IndexNotFound(f"no index in {self.where}; build one with: python -m index build --store {self.where}")
        if live not in self._loaded:
            try:
                for name in (live, f"{live}_docs"):
                    self.client.load_collection(name)
            except Exception as err:
                self._damaged(reason(err))
            self._loaded.add(live)
        return live

    def rows(self, collection: str, fields: list[str], expr: str = "") -> Iterator[dict]:
        try:
            it = self.client.query_iterator(collection, batch_size=BATCH, filter=expr, output_fields=fields)
            while batch := it.next():
                yield from batch
            it.close()
        except Exception as err:
            self._damaged(reason(err))

    def _blob(self, live: str, doc_id: str) -> str | None:
        try:
            rows = self.client.query(f"{live}_docs", filter=f"doc_id == {json.dumps(doc_id)}",
                                     output_fields=["doc_id", "part", "body"], limit=BATCH)  # fmt: skip
        except Exception as err:
            self._damaged(reason(err))
        return next((body for _, body in _joined(rows)), None)

    def document(self, live: str, doc_id: str) -> Document:
        body = self._blob(live, doc_id)
        return Document(**json.loads(body)) if body else self._damaged(f"document {doc_id} is missing")

    def _damaged(self, why: str):
        raise IndexCorrupt(f"index in {self.where} is damaged ({why}); " + rebuild_hint(self.where))


def chunk_of(row: dict) -> Chunk:
    return Chunk(row["id"], row["doc_id"], row["text"], row["start"], row["end"], row["header"], row["n_tokens"])


def _joined(rows) -> Iterator[tuple[str, str]]:
    """(doc_id, whole body) from rows holding the parts of each body."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for r in rows:
        parts.setdefault(r["doc_id"], []).append((r["part"], r["body"]))
    for doc_id, pieces in parts.items():
        yield doc_id, "".join(body for _, body in sorted(pieces))


def _fit(words: str, limit: int = 65_000) -> str:
    """At most `limit` bytes of whole words (a VARCHAR's cap; BM25 sees the first ~10,000 words)."""
    data = words.encode("utf-8")
    return words if len(data) <= limit else data[:limit].decode("utf-8", "ignore").rsplit(" ", 1)[0]


def _quietly(call, *args) -> None:
    with contextlib.suppress(Exception):  # cleanup of what a failed or earlier build left: the next retries
        call(*args)


def reason(err: Exception) -> str:
    return str(getattr(err, "message", "") or err).strip().splitlines()[0][:300]
