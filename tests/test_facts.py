"""Facts and names used by verification, with hand-checked expectations."""

from __future__ import annotations

import pytest

from ask.facts import answers_kind, misread_units, numbers, wants, yes_no
from ask.names import given_names, mentioned, names
from ask.slots import uncounted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It cost $1,000.50 in 2018, up 28%", {"1000.5", "2018", "28"}),
        ("nine projects and 06 units", {"9", "6"}),
        ("One article says", set()),
        ("", set()),
    ],
)
def test_numbers(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lord David Willetts led it.", {"lord david willetts"}),
        ("The Zhuzhou Municipal People's Government signed.", {"zhuzhou municipal people's government"}),
        ("Hunan's exports rose, said Liu.", {"hunan", "liu"}),
        ("Another says it was in Changsha.", {"changsha"}),
        ("Which UK company signed with BBK?", {"uk", "bbk"}),
    ],
)
def test_names(text: str, expected: set[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("claim", "question", "expected"),
    [
        ("Trade reached $680 million.", "How much was trade in 2018?", True),
        ("Trade grew in 2018.", "How much was trade in 2018?", False),  # only the question's own number
        ("It happened in October 2017.", "How many buses will CRRC export?", False),  # a year is not a count
        ("It kicks off on July 9th.", "When does the conference kick off?", True),
        ("It kicks off soon.", "When does the conference kick off?", False),
        ("Hunan and the UK are similar in population.", "What is the population of Hunan province?", False),
        ("Liu Xiaoming gave it.", "Who gave the keynote speech?", True),
        ("The ambassador gave it.", "Who gave the keynote speech?", False),
        ("Anything at all.", "Why did they meet?", True),
        # yes or no answers a yes/no question only
        ("Yes, AstraZeneca plans to promote its products.", "What did it plan to promote in Hunan?", False),
        ("Yes, both reports say so.", "Did both reports mention green manufacturing?", True),
        ("No.", "Is there consistency between the two reports?", True),
        ("Nothing was signed.", "What was signed?", True),  # "No" must be the whole first word
    ],
)
def test_answers_kind(claim: str, question: str, expected: bool) -> None:
    assert answers_kind(claim, question) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Did both reports mention it?", True),
        ("Is there consistency in the portrayal?", True),
        ("Has the focus changed?", True),
        ("What did it promote?", False),
        ("Which happened first?", False),
        ("Isaac Newton said what?", False),
        ("Was the memorandum signed before or after the visit?", False),  # which of two, not whether
        # the main clause after an opening phrase
        ("Between the report of May 1, 2023, and the one of May 9, was the portrayal consistent?", True),
        ("After the talks in London, did both sides sign?", True),
        ("After the talks in London, who signed the memorandum?", False),
        ("In 2018, how much was trade worth?", False),
        ("According to China Daily, the trade grew?", False),
    ],
)
def test_yes_no_questions(question: str, expected: bool) -> None:
    assert yes_no(question) is expected


@pytest.mark.parametrize(
    ("question", "kind", "is_yes_no"),
    [
        # a follow-up asked together with the question before it asks what the follow-up asks
        ("Who is the chairman of The 48 Group Club? At which event did he speak?", None, False),
        ("Who is Stephen Perry? When was his club founded?", "date", False),
        ("Where was the bus tested? Who developed it?", "name", False),
        ("Who signed it for China? Did he also sign for the UK?", None, True),
        ("Did Hunan sign with AstraZeneca? How many employees does it have?", "number", False),
        # a leading conjunction does not hide the question word
        ("And who signed it for the UK?", "name", False),
        ("So, when does the conference start?", "date", False),
        # a trailing source list or statement asks nothing
        ("Did Apple defend the deal? (The Verge/TechCrunch)", None, True),
        ("Who is the individual under scrutiny? This person is also reported by Fortune.", "name", False),
        ("Who led the delegation", "name", False),  # no question mark: the whole text
    ],
)
def test_of_several_questions_the_last_one_asks(question: str, kind: str | None, is_yes_no: bool) -> None:
    assert wants(question) == kind
    assert yes_no(question) is is_yes_no


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A Sino-UK convention held in London on Thursday aimed to enhance cooperation.", {"london"}),
        ("At the Hunan-UK Future Innovation Summit in Changsha in March, Liu spoke.", {"changsha"}),
        ("Themed Hunan-UK Future Innovation Summit, it helps companies from Hunan.", set()),
        # an answer of names alone is the place asked for
        ("Changsha, China", {"changsha", "china"}),
        ("London and Beijing.", {"london", "beijing"}),
        ("The Hunan-UK Future Innovation Summit", set()),  # only the question's own names
        ("Liu spoke about Changsha.", set()),  # a sentence, not names alone
    ],
)
def test_places_for_where_questions(text: str, expected: set[str]) -> None:
    from ask.facts import new_facts

    assert new_facts(text, "Where was the Hunan-UK Future Innovation Summit held?") == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("r&d", "it set up research and development centres", True),
        ("uk", "talks with the united kingdom", True),
        ("uk", "talks with the united states", False),
        ("ai", "a new idea", False),
        ("hunan", "in hunan province", True),
        ("xu dazhe", "governor xu said", False),
    ],
)
def test_names_and_spelled_out_acronyms(name: str, text: str, expected: bool) -> None:
    assert mentioned(name, text) is expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # word order, possessives, joiners
        ("hunan's department of commerce", "The Department of Commerce of Hunan Province signed.", True),
        ("department of commerce of hunan", "Hunan's Department of Commerce signed.", True),
        # hyphenated forms and spelled-out acronyms in one sentence
        ("china-uk", "A memorandum between China and the UK was signed.", True),
        ("china-uk", "China signed. The UK did not.", False),  # not in one sentence
        # a long word one letter away ("Provence" for "Province"), a stem ("Partnerships")
        ("hunan province", "The Department of Commerce of Hunan Provence signed.", True),
        ("partnership fund", "The Research and Innovation Partnerships Fund supported it.", True),
        # other names stay other names
        ("boris johnson", "Minister of State Jo Johnson signed.", False),
        ("hunan department of trade", "The Department of Commerce of Hunan Province signed.", False),
        ("xiao", "Xia said it.", False),  # short words must match exactly
    ],
)
def test_name_forms(name: str, text: str, expected: bool) -> None:
    assert mentioned(name, text) is expected


def test_the_capital_that_starts_a_question_says_nothing() -> None:
    assert given_names("Considering the Verge report, did Jeh Johnson resign?") == {"jeh johnson", "verge"}
    assert given_names("Roughly what share of Hunan's trade is private?") == {"hunan"}
    assert given_names("China Kefu Medical signed with whom?") == {"kefu medical"}
    assert "considering" in names("Considering the Verge report, did Jeh Johnson resign?")  # names() reads capitals


CONFERENCE = ["NANJING, China, July 3, 2020 /PRNewswire/ -- the conference shall kick off on July 9th."]
TRADE = ["By the end of 2018, Hunan was home to $220 million paid-in investment from the UK."]
MAKERS = ["There are 13 new energy vehicle manufacturers in the province.", "It signed nine investment projects."]


@pytest.mark.parametrize(
    ("claim", "passage", "question", "expected"),
    [
        ("It will last for 3 days.", CONFERENCE, "How many days will the conference last?", True),
        ("220 million", TRADE, "How many new energy vehicles did Hunan export in 2018?", True),
        ("13 manufacturers", MAKERS, "How many new energy vehicle makers does Hunan have?", False),
        ("Nine investment projects.", MAKERS, "How many investment projects did they sign?", False),
        ("It began on July 9th.", CONFERENCE, "How many days will the conference last?", True),
        ("It will last for 3 days.", CONFERENCE, "When does the conference start?", False),  # not how many
        ("In 2020.", CONFERENCE, "How many days will the conference last?", False),  # a year: other checks
        ("Many companies.", MAKERS, "How many of them signed?", False),  # nothing counted is named
    ],
)
def test_a_number_answers_how_many_only_where_it_counts_the_thing_asked(
    claim: str, passage: list[str], question: str, expected: bool
) -> None:
    assert uncounted(claim, passage, question) is expected


@pytest.mark.parametrize(
    ("claim", "evidence", "misread"),
    [
        (
            "The fund has spent $460 million.",
            "The two sides have supported 460 collaborative projects.",
            ["$460 million"],
        ),
        ("Trade reached $680.", "In 2018, trade reached $680 million.", ["$680"]),
        ("Trade reached £680 million.", "In 2018, trade reached $680 million.", ["£680 million"]),
        ("Its share rose to 68.1%.", "Private firms accounted for 68.1 of every 100 yuan.", ["68.1%"]),
        ("Trade reached $680 million.", "In 2018, trade reached $680 million.", []),
        ("Trade reached 680 million.", "In 2018, trade reached $680 million.", []),  # a currency left out
        ("It rose 28%.", "a year-on-year increase of over 28 percent", []),  # one spelling for each
        ("It cost $1.2bn.", "it cost 1.2 billion US dollars", []),
        ("Volume passed RMB 310 billion.", "volume surpassed 310 billion yuan", []),
        ("There are 13 makers, with output above 50,000 units.", "13 manufacturers, output exceeding 50,000 units", []),
        ("It rose 1.1 percentage points.", "up 1.1 percentage points", []),  # no unit of ours: digits decide
    ],
)
def test_a_number_is_held_to_its_currency_scale_and_percent(claim: str, evidence: str, misread: list[str]) -> None:
    assert misread_units(claim, evidence) == misread
