"""The app's `/ask` API (Gradio's own API route): what scripts send is checked before use, and
every problem comes back as one line (a `gr.Error`), never Python's own error text."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from ask import BadQuestion, answer_dict
from index import IndexProblem, ModelUnavailable
from index.settings import BadSetting, make_filters
from ui.session import Service

USER_ERRORS = (BadQuestion, BadSetting, ModelUnavailable, IndexProblem)  # shown to the user as one line


def ask_api(service: Service) -> Callable[..., dict]:
    def ask(
        question: str,
        history: list[list[str]] | None = None,
        passages: int = 0,
        date_from: str = "",
        date_to: str = "",
        publishers: list[str] | None = None,
    ) -> dict:
        """Answer a question about the articles. `history`: earlier [question, answer] pairs of this
        conversation, oldest first; `passages`: how many the model sees (0: the default); dates
        (YYYY, YYYY-MM or YYYY-MM-DD) and publishers filter the articles searched. Returns the
        answer text, its citations, the abstained flag, the passages selected (the model is shown those
        that score near the best) and timings."""
        try:
            _check_types(question, history, passages)
            search = make_filters(date_from, date_to, publishers)
            if not all(isinstance(t, list | tuple) and len(t) == 2 for t in history or []):
                raise BadSetting("history must be a list of [question, answer] pairs")
            pairs = [(str(q), str(a)) for q, a in history or []]
            *_, answer = service.stream(question, pairs, None, passages or None, search)
        except USER_ERRORS as err:
            raise gr.Error(str(err)) from None
        return answer_dict(answer)

    return ask


def _check_types(question: object, history: object, passages: object) -> None:
    """What the API was sent, checked before use: each wrong value named in one line (dates and
    publishers are checked by `make_filters`)."""
    if not isinstance(question, str):
        raise BadQuestion("the question must be text")
    if history is not None and not isinstance(history, list | tuple):
        raise BadSetting("history must be a list of [question, answer] pairs")
    if isinstance(passages, bool) or not isinstance(passages, int) or not 0 <= passages <= 10:
        raise BadSetting("passages must be a whole number from 0 (the default) to 10")
