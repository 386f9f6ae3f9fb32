"""Find near-duplicate documents: the same story syndicated with different boilerplate.

Two documents are near-duplicates when the Jaccard similarity of their word 5-gram sets is at
least `threshold`. The first one seen is kept; each later copy is reported as a Duplicate that
names it, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ingest.types import Document, Duplicate

SHINGLE = 5


def shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE:
        return {hash(" ".join(words))}
    return {hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)}


def deduplicate(documents: list[Document], threshold: float = 0.8) -> tuple[list[Document], list[Duplicate]]:
    """Split `documents` into those to index and the near-duplicates of those."""
    kept: list[Document] = []
    duplicates: list[Duplicate] = []
    sizes: list[int] = []
    owners: dict[int, list[int]] = defaultdict(list)  # shingle -> indices into `kept`
    for doc in documents:
        own = shingles(doc.text)
        shared = Counter(i for s in own for i in owners.get(s, ()))
        best, similarity = None, 0.0
        for i, inter in shared.items():
            jaccard = inter / (len(own) + sizes[i] - inter)
            if jaccard > similarity:
                best, similarity = i, jaccard
        if best is not None and similarity >= threshold:
            duplicates.append(Duplicate(doc, kept[best].id, round(similarity, 3)))
            continue
        for s in own:
            owners[s].append(len(kept))
        kept.append(doc)
        sizes.append(len(own))
    return kept, duplicates
