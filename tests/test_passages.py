"""Which selected passages the model is shown (ask/passages.leading): those near the best one,
and never a lead passage that only says again what was asked."""

from __future__ import annotations

from ask.passages import Passage, Sentence, leading
from ingest import Document


def test_leading_keeps_the_passages_within_the_margin() -> None:
    doc = Document(id="d", title="T", text="A. B. C. D.", path="p")
    passages = [
        Passage(n, doc, (Sentence(doc, 3 * (n - 1), 3 * (n - 1) + 2, score), Sentence(doc, 0, 1, 0.0)))
        for n, score in enumerate((1.0, 0.85, 0.7), start=1)
    ]
    assert [p.number for p in leading(passages, 0.2)] == [1, 2]
    assert [p.number for p in leading(passages, 0.0)] == [1]
    assert [p.number for p in leading(passages, 1.0)] == [1, 2, 3]
    assert leading([], 0.2) == []


def test_a_passage_without_the_kind_of_fact_asked_for_never_stands_alone() -> None:
    text = "Trade was discussed in 2018. The weather was fine. Trade reached $680 million in 2018. Talks went on."
    doc = Document(id="d", title="T", text=text, path="p")
    spans = [(0, 28), (29, 50), (51, 86), (87, 101)]
    scores = (1.0, 0.9, 0.6, 0.5)
    passages = [Passage(n, doc, (Sentence(doc, *spans[n - 1], scores[n - 1]),)) for n in range(1, 5)]
    assert [p.number for p in leading(passages, 0.2)] == [1, 2]  # no question: the margin alone
    how_much = "How much was trade in 2018?"  # the first number it did not give is in passage 3
    assert [p.number for p in leading(passages, 0.2, how_much)] == [1, 2, 3, 4]
    assert [p.number for p in leading(passages, 0.0, how_much)] == [1, 2, 3]
    assert [p.number for p in leading(passages, 0.2, "What was discussed?")] == [1, 2]  # 2018 and Trade: new


def test_a_passage_that_gives_nothing_the_question_lacks_never_stands_alone() -> None:
    """Of a question of no known kind ("which company"), the lead must give a number or a name
    the question did not; a yes/no question is answered from the margin alone."""
    text = "A UK company signed with BBK. The weather was fine. Holovis signed with BBK in London. Talks went on."
    doc = Document(id="d", title="T", text=text, path="p")
    spans = [(0, 29), (30, 51), (52, 86), (87, 101)]
    passages = [Passage(n, doc, (Sentence(doc, *spans[n - 1], (1.0, 0.9, 0.6, 0.5)[n - 1]),)) for n in range(1, 5)]
    assert [p.number for p in leading(passages, 0.2, "Which UK company signed with BBK?")] == [1, 2, 3, 4]
    assert [p.number for p in leading(passages, 0.0, "Which UK company signed with BBK?")] == [1, 2, 3]
    assert [p.number for p in leading(passages, 0.2, "Did a UK company sign with BBK?")] == [1, 2]
    assert [p.number for p in leading(passages, 0.2, "Which company signed?")] == [1, 2]  # UK, BBK: new
