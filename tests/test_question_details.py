"""The question's own numbers and names: most of them must be in the articles the answer was
given or cites (`Verifier.unanswered`, `max_unnamed`), whichever article each comes from; and the
one a sentence is about, its subject, in the article it cites (`unbound_names`)."""

from __future__ import annotations

from ask.passages import Passage, Sentence
from ask.verify import Verifier, unbound_names
from ingest import Document
from tests.answering import ask
from tests.fakes import FakeEmbedder, number_of


def test_true_but_beside_the_point_is_not_an_answer(retriever) -> None:
    def reply(m):
        return (
            f"Kwasi Kwarteng said the dialogue is of great importance for both countries [{number_of(m, 'Kwarteng')}]."
        )

    _, answer, _ = ask(retriever, "What did Kwasi Kwarteng say about Brexit?", reply)
    assert answer.abstained
    assert "the articles never name: brexit" in answer.removed[0]


def test_a_question_may_name_a_detail_the_articles_lack_but_not_most_of_what_it_names(retriever) -> None:
    """A question about several articles names details of each, not all of them shown; one about
    what the articles never covered names mostly what they lack (`max_unnamed`: 4/9)."""

    def reply(m):
        return f"AstraZeneca signed a memorandum with Zhuzhou [{number_of(m, 'AstraZeneca')}]."

    # zhuzhou, hunan: in the articles; narnia daily: not (1 of 3 names)
    _, answer, _ = ask(
        retriever, "Which company signed a memorandum with Zhuzhou in Hunan, as Narnia Daily said?", reply
    )
    assert not answer.abstained and "AstraZeneca" in answer.text
    # zhuzhou: in the articles; narnia daily, gondor post: not (2 of 3)
    _, cut, _ = ask(retriever, "Which company signed a memorandum with Zhuzhou, as Narnia Daily and Gondor Post said?",
                    reply)  # fmt: skip
    assert cut.abstained and "the articles never name: gondor post, narnia daily" in cut.removed[0]


def test_a_number_the_question_gives_may_come_from_another_article_shown(retriever) -> None:
    """ "2022" is the date of the industrial dialogue's report; the count comes from China Daily's.
    A number that no article shown mentions still means the question is about something else."""

    def reply(m):
        return f"Hunan has 13 new energy vehicle manufacturers [{number_of(m, '13 new energy vehicle')}]."

    question = "Besides the industrial cooperation dialogue of 2022, how many new energy vehicle makers has Hunan?"
    _, answer, model = ask(retriever, question, reply)
    assert any("2022" in m[1]["content"] for m in model.prompts)  # the dialogue's report is among those shown
    assert not answer.abstained and "13" in answer.text
    _, other, _ = ask(retriever, question.replace("2022", "1990"), reply)
    assert other.abstained and "the articles never name: 1990" in other.removed[0]


def test_a_number_the_question_gives_counts_like_one_of_its_names(retriever) -> None:
    """The question's numbers join its names in one share (`max_unnamed`: 4/9): a report's date
    the articles lack is one detail missing among several given, not a reason alone."""

    def reply(m):
        return f"AstraZeneca signed a memorandum with Zhuzhou [{number_of(m, 'AstraZeneca')}]."

    # zhuzhou, hunan: in the articles; 1990: not (1 of 3)
    _, answer, _ = ask(retriever, "Which company signed a memorandum with Zhuzhou in Hunan, as the 1990 report said?",
                       reply)  # fmt: skip
    assert not answer.abstained and "AstraZeneca" in answer.text
    # zhuzhou: in the articles; 1990, 1991: not (2 of 3)
    _, cut, _ = ask(retriever, "Which company signed a memorandum with Zhuzhou, as the 1990 and 1991 reports said?",
                    reply)  # fmt: skip
    assert cut.abstained and "the articles never name: 1990, 1991" in cut.removed[0]


def test_a_claim_about_a_name_the_question_gives_needs_an_article_that_names_it() -> None:
    """The question's own names are not checked against the passage a claim cites (they are the
    question's), but the article must name the one the claim says its facts of, its subject: a
    passage about the ambassador does not say whom BBK signed with, in an article that never
    mentions BBK."""
    embedder = FakeEmbedder()
    texts = {
        "speech": "Liu Xiaoming, the Chinese ambassador to the UK, spoke at the summit.",
        "deals": "BBK signed with Welsh Whisky at the summit. Liu Xiaoming, the Chinese ambassador to the UK, spoke.",
    }
    passages = []
    for number, (name, text) in enumerate(texts.items(), start=1):
        doc = Document(id=name, title=f"The {name}", text=text, path=name)
        end = text.index(".") + 1 if name == "speech" else len(text)
        vector = embedder.encode([text[:end]])[0]
        passages.append(Passage(number, doc, (Sentence(doc, 0, end, 1.0, vector),)))
    verifier = Verifier(embedder, 0.3, 0.8, 1.0)
    question = "Which UK company did BBK sign with at the summit?"
    claim = "BBK signed with Liu Xiaoming, the Chinese ambassador to the UK"
    unbound = verifier.verify(f"{claim} [1].", passages[:1], question)
    assert not unbound.kept and "its article never names bbk" in unbound.removed[0]
    # the same words, cited to an article that mentions BBK, are checked as any other claim
    bound = verifier.verify(f"{claim} [2].", passages, question)
    assert [s.passage.number for s in bound.kept] == [2]
    assert unbound_names("Welsh Whisky signed with BBK.", question, passages[1].document) == []
    assert unbound_names("It signed with Welsh Whisky.", question, passages[0].document) == []  # uses no name
    assert unbound_names("BBK and the UK side signed.", question, passages[0].document) == ["bbk"]
    # news names a person again by one part of the name: "Xu, the governor" is Governor Xu Dazhe
    xu = Document(id="xu", title="Hunan", text="Xu, the governor, said the province will build a cluster.", path="x")
    assert unbound_names("Governor Xu Dazhe wants a cluster.", "What does Governor Xu Dazhe want?", xu) == []
    assert unbound_names("BBK wants a cluster.", "What does BBK want?", xu) == ["bbk"]
    # only the subject binds: the names after it are the sentence's setting
    assert unbound_names("Xu spoke at the summit in London.", "Who spoke at the summit in London?", xu) == []
    # a question that offers alternatives is answered by naming them, each from its own article
    assert unbound_names("BBK signed before Xu spoke.", "Which came first, BBK's deal or Xu's speech?", xu) == []


def test_a_number_that_counts_something_else_does_not_answer_how_many(retriever) -> None:
    """A count answers "how many" only where it counts the thing asked: not the 3 of "July 3,
    2020" for how many days; "more than 30 Hunan companies" for how many companies."""

    def days(m):
        return f"The conference will last for 3 days [{number_of(m, 'July 3, 2020')}]."

    _, cut, _ = ask(retriever, "How many days will the China UK Innovation Cooperation Conference last?", days)
    assert (
        "3 days" not in cut.text
        and "The conference will last for 3 days. (does not answer the question)" in cut.removed
    )

    def companies(m):
        return f"More than 30 Hunan companies took part [{number_of(m, 'more than 30 Hunan companies')}]."

    _, kept, _ = ask(retriever, "How many Hunan companies took part in the summit in London?", companies)
    assert not kept.abstained and kept.text.startswith("More than 30 Hunan companies took part")
