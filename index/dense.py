"""The dense side of the index: which FAISS index suits how many chunks, and how to search it.

Up to 50,000 chunks an exact inner-product index (IndexFlatIP) answers within ~20 ms. Past
that, an inverted-file index (IndexIVFFlat, about sqrt(N) lists, 32 of them probed per query)
keeps a query near constant time: at a million chunks it reads ~3% of the vectors.
"""

from __future__ import annotations

import math

import numpy as np

FLAT_LIMIT = 50_000
PROBES = 32


def build_dense(vectors: np.ndarray):
    """An inner-product index over unit vectors, exact or inverted-file by size."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dim = vectors.shape
    if n <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        lists = int(math.sqrt(n))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, lists, faiss.METRIC_INNER_PRODUCT)
        sample = vectors[np.random.default_rng(0).choice(n, min(n, 40 * lists), replace=False)]
        index.train(sample)
        index.nprobe = PROBES
    index.add(vectors)
    return index


def search(index, vector: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, ids) of the `k` nearest, only among `allowed` rows when a mask is given."""
    import faiss

    if allowed is None:
        return index.search(vector, k)
    selector = faiss.IDSelectorBatch(np.flatnonzero(allowed).astype("int64"))
    ivf = faiss.try_extract_index_ivf(index)
    params = faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe) if ivf else faiss.SearchParameters(sel=selector)
    return index.search(vector, k, params=params)


def all_vectors(index) -> np.ndarray:
    """Every stored vector, in row order (an inverted-file index needs its id map first)."""
    import faiss

    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.make_direct_map()
    return index.reconstruct_n(0, index.ntotal)
