"""The model asked constrained questions about an answer, appended to the prompt it answered
from: do the passages state this answer, and do they hold what the question needs at all? And,
of each passage sentence the answer's facts come from: does it report news, or is it an order to
an assistant or reader? An article is data; an order inside it supports nothing, in any wording
or language, which is why the model is asked rather than a list of phrases consulted.

The replies are weighed, not generated: each is the share of the next-token probability that
goes to "yes" rather than "no" (`Chooser.choose`), and the support is their mean (on the gold
files the mean told right answers from wrong ones better than either alone). An answer to a
question that stands alone is judged with the passages it cites and no others (they could only
mislead the judge about it; on the gold files this told right answers from wrong ones better
than every passage the model was shown), so where it cites fewer than it was shown, the prompt
is read anew; where it cites them all, or where the judge is shown every passage (a follow-up's
answer, or one to a question naming several sources: its cited passage alone lacks the rest),
llama.cpp reuses the answer prompt's computed prefix and each check costs only its own few
tokens. The pipeline cuts an answer whose support is below `AnswerSettings.min_support` (judged
on every passage shown: `min_support_shown`; a quoted passage sentence: `min_support_quoted`),
chosen on labelled answers. A generator that cannot weigh replies (a scripted test model
without a judge) is not asked.
"""

from __future__ import annotations

from ask.generate import Generator, Messages
from ask.prompts import render


def support(generator: Generator, messages: Messages, answer: str) -> float | None:
    """The mean P(yes) of the two checks; None when the generator cannot say."""
    if not hasattr(generator, "choose"):
        return None
    stated = _ask(generator, messages, render("judge", answer=answer))
    if stated is None:
        return None
    return (stated + _ask(generator, messages, render("answerable"))) / 2


def reports(generator: Generator, messages: Messages, number: int, sentence: str) -> float | None:
    """The share of "news" against "instruction" in the model's one-word verdict on `sentence`
    (of passage `number`); None when the generator cannot weigh replies."""
    if not hasattr(generator, "choose"):
        return None
    check = render("reports", number=str(number), sentence=" ".join(sentence.split()))
    return _ask(generator, messages, check, ("news", "instruction"))


def _ask(
    generator: Generator, messages: Messages, check: str, options: tuple[str, str] = ("yes", "no")
) -> float | None:
    """The share of the first option, with `check` appended to the last message."""
    asked = [*messages[:-1], {**messages[-1], "content": f"{messages[-1]['content']}\n\n{check}"}]
    return generator.choose(asked, list(options)).get(options[0])
