"""The question's own numbers and names: most of them must be in the articles the answer was
given or cites (`Verifier.unanswered`, `max_unnamed`), whichever article each comes from."""

from __future__ import annotations

from tests.answering import ask
from tests.fakes import number_of


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
