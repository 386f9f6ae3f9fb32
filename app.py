"""The chat app: python app.py [--host H] [--port P] [--index-dir DIR | --store S] [--articles DIR] [--model M]
[--auth USER:PASS] [--reader USER:PASS] [--auth-file FILE] [--allow-anonymous] [--max-upload-mb N]
[--max-queue N].

Builds the index of the articles folder on first start (progress in the terminal), loads the
model once, then serves the chat on http://127.0.0.1:7860: streamed answers with citation
markers, a sources panel, the library (upload and removal) and settings. Gradio's API serves
`/ask` for scripts (see the README). Layout and wiring only: answering is `ask/`, the library
`index/library.py`, HTML `ui/render.py`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import gradio as gr

from ask import Answer, Preview, Token
from config import Config
from console import quiet_libraries
from index import CorpusEmpty, IndexProblem, ModelUnavailable, load_embedder
from index.library import Library
from index.settings import BadSetting, make_filters
from ingest.readers import SUFFIXES
from ui import render
from ui.access import Access, access_from, add_access_arguments
from ui.api import USER_ERRORS, ask_api
from ui.library_panel import library_outputs, wire_library
from ui.session import Service, model_choices

ASSETS = Path(__file__).resolve().parent / "ui"
Turns = list[tuple[str, Answer]]


def chat_messages(turns: Turns) -> list[dict]:
    out = []
    for n, (question, answer) in enumerate(turns, start=1):
        out += [
            {"role": "user", "content": render.question_message(question)},
            {"role": "assistant", "content": render.answer_message(answer, n)},
        ]
    return out


def respond(
    service: Service, question: str, turns: Turns, settings: tuple, stopped: Callable[[], bool] = lambda: False
) -> Iterator[tuple]:
    """Stream one answer: the cited preview, a sign that the model is writing (its unchecked words
    are never shown), then the verified answer. When `stopped()` turns true the model is let go
    and the preview stays on screen, marked stopped."""
    passages, date_from, date_to, publishers, model = settings
    question = " ".join((question or "").split())
    if not question:
        raise gr.Error("Type a question first.")
    turn, history = len(turns) + 1, [(q, a.text) for q, a in turns]
    shown = [*chat_messages(turns), {"role": "user", "content": render.question_message(question)}]
    preview, written = None, 0
    try:
        events = service.stream(question, history, model, passages, make_filters(date_from, date_to, publishers))
        for event in events:
            if isinstance(event, Answer):
                turns = [*turns, (question, event)]
                yield chat_messages(turns), render.sources_panel(turns), turns, "", question
                return
            if isinstance(event, Preview):
                preview = event
            elif isinstance(event, Token):
                written = event.written
            halt = stopped()
            pending = {"role": "assistant", "content": render.pending_message(preview, written, turn, halt)}
            panel = render.sources_panel(turns, preview=(turn, question, preview)) if preview else gr.skip()
            yield [*shown, pending], panel, turns, "", question
            if halt:
                events.close()  # ends generation and frees the model for the next question
                return
    except ModelUnavailable as err:  # the model failed mid-answer: the preview stays, the reason below it
        if preview is None:
            raise gr.Error(str(err)) from None
        failed = {"role": "assistant", "content": render.pending_message(preview, written, turn, failure=str(err))}
        yield [*shown, failed], gr.skip(), turns, "", question
    except USER_ERRORS as err:
        raise gr.Error(str(err)) from None


def build_ui(service: Service, access: Access | None = None) -> gr.Blocks:
    """The page. `access`: who may change the library (everyone when None or no accounts)."""
    entries = service.library.entries()
    with gr.Blocks(title="Ask the articles") as demo:
        turns = gr.State([])
        gr.Markdown("## Ask the articles\nAnswers from your news articles, every sentence cited and checked.")
        model_status = gr.Markdown(elem_id="model-status")
        with gr.Tab("Chat"), gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(elem_id="chat", height=480, show_label=False, feedback_options=None)
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask about the articles…", show_label=False, scale=6, elem_id="question"
                    )
                    ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                with gr.Row():
                    stop = gr.Button("Stop", size="sm", elem_id="stop")
                    retry = gr.Button("Retry", size="sm", elem_id="retry")
                    clear = gr.Button("Clear", size="sm", elem_id="clear")
                gr.Examples(service.examples(), inputs=box, label="Examples from the library")
            with gr.Column(scale=2, elem_id="sources-column"):
                gr.Markdown("**Sources**")
                sources = gr.HTML(render.sources_panel([]), elem_id="sources")
        with gr.Tab("Library"):
            table = gr.HTML(render.library_table(entries), elem_id="library")
            upload = gr.File(
                label=f"Add articles ({' '.join(SUFFIXES)})",
                file_count="multiple",
                file_types=list(SUFFIXES),
                elem_id="upload",
            )
            with gr.Row():
                pick = gr.Dropdown(label="Remove an article", choices=[], elem_id="pick", scale=4)
                remove = gr.Button("Remove", variant="stop", elem_id="remove", scale=1)
            status = gr.Markdown(elem_id="library-status")
        with gr.Tab("Settings"):
            passages = gr.Slider(
                1, 8, value=service.config.answer.max_passages, step=1, label="Passages per answer (at most)"
            )
            with gr.Row():
                date_from = gr.Textbox(label="Published from (YYYY-MM-DD)", elem_id="date-from")
                date_to = gr.Textbox(label="Published until (YYYY-MM-DD)", elem_id="date-to")
            publishers = gr.Dropdown(label="Publishers (all when empty)", multiselect=True, elem_id="publishers")
            model = gr.Dropdown(
                label="Model", choices=list(service.choices), value=service.default_model, elem_id="model"
            )
        settings = [passages, date_from, date_to, publishers, model]
        _wire_chat(service, (box, ask, stop, retry, clear), chatbot, sources, turns, settings)
        wire_library(service, access or Access(), table, upload, pick, remove, status, publishers)
        demo.load(
            lambda: library_outputs(service, ""), outputs=[table, pick, publishers, status], api_visibility="private"
        )

        def watch_model() -> Iterator[str]:
            for line in service.model_status():
                yield render.status([line])  # escaped: a model path is shown as written

        demo.load(watch_model, outputs=model_status, concurrency_limit=None, api_visibility="private")
        gr.api(ask_api(service), api_name="ask")
    return demo


class StopRequests:
    """Sessions whose user pressed Stop; the running answer checks between words."""

    def __init__(self) -> None:
        self._sessions: set[str] = set()

    def request(self, session: str | None) -> None:
        self._sessions.add(session or "")

    def clear(self, session: str | None) -> None:
        self._sessions.discard(session or "")

    def checker(self, request: gr.Request) -> Callable[[], bool]:
        session = request.session_hash or ""
        return lambda: session in self._sessions


def _wire_chat(service: Service, controls: tuple, chatbot, sources, turns, settings: list) -> None:
    box, ask, stop, retry, clear = controls
    asked = gr.State("")  # the last question sent, for Retry

    stops = StopRequests()

    def run(question: str, state: Turns, n, start, end, names, model, request: gr.Request) -> Iterator[tuple]:
        stops.clear(request.session_hash)
        yield from respond(service, question, state, (n, start, end, names, model), stops.checker(request))

    def again(last: str, state: Turns, n, start, end, names, model, request: gr.Request) -> Iterator[tuple]:
        """Ask the last question again: in place of its answer, or after it was stopped."""
        if not last:
            raise gr.Error("Nothing to retry yet.")
        answered = bool(state) and state[-1][0] == last
        stops.clear(request.session_hash)
        yield from respond(service, last, state[:-1] if answered else state, (n, start, end, names, model),
                           stops.checker(request))  # fmt: skip

    common = dict(outputs=[chatbot, sources, turns, box, asked], concurrency_id="answer", api_visibility="private")
    box.submit(run, [box, turns, *settings], **common)
    ask.click(run, [box, turns, *settings], **common)
    retry.click(again, [asked, turns, *settings], **common)

    # Not Gradio's `cancels`: a cancelled listener's next run was cancelled too (Gradio 6.31).
    def halt(request: gr.Request) -> None:
        stops.request(request.session_hash)

    stop.click(halt, None, None, queue=False, api_visibility="private")

    def start_over() -> tuple:
        return [], render.sources_panel([]), [], "", ""

    reset = dict(outputs=[chatbot, sources, turns, box, asked], api_visibility="private")
    clear.click(start_over, **reset)
    chatbot.clear(start_over, **reset)  # the chat's own bin icon


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python app.py", description="Chat with your news articles.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--index-dir", type=Path, default=config.index_dir)
    parser.add_argument("--store", default=config.store, help="the index in Milvus: milvus-lite:PATH.db, milvus://…")
    parser.add_argument("--articles", type=Path, default=config.articles_dir, help="the library folder")
    model_help = "GGUF path, HF folder, Hub id or openai://HOST:PORT/MODEL (repeatable)"
    parser.add_argument("--model", action="append", default=[], help=model_help)
    parser.add_argument("--backend", choices=["llama.cpp", "transformers"], default=config.backend)
    parser.add_argument("--verbose", action="store_true", help="also show third-party libraries' warnings and logs")
    add_access_arguments(parser)
    parser.add_argument("--max-upload-mb", type=float, default=50, help="refuse larger uploads (default 50)")
    parser.add_argument("--max-queue", type=int, default=32, help="questions waiting at most; then 'busy' (default 32)")
    args = parser.parse_args(argv)
    try:
        access = access_from(args)
    except BadSetting as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    paths = {"index_dir": args.index_dir, "store": args.store, "articles_dir": args.articles}
    config = replace(config, **paths, backend=args.backend)
    quiet_libraries(config.cache_dir, args.verbose)
    started = time.perf_counter()
    try:
        embedder = load_embedder(config.embedder, config.cache_dir)
        library = Library(
            config.articles_dir,
            config.index_place,
            embedder,
            config.search,
            config.chunk_tokens,
            config.overlap_sentences,
        )
        report = library.open(progress=True)
        for line in report.lines() if report else []:
            print(line, file=sys.stderr)
        models = args.model or ([config.model] if config.model else [])
        service = Service(config, library, model_choices(models, args.backend), verbose=args.verbose)
        service.load_in_background()
    except (IndexProblem, CorpusEmpty, ModelUnavailable) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"index ready in {time.perf_counter() - started:.1f}s; the model loads in the background", file=sys.stderr)
    demo = build_ui(service, access)
    # one answer at a time (the CPU is the limit); a waiting page shows its place and an estimate
    demo.queue(default_concurrency_limit=1, max_size=max(1, args.max_queue)).launch(
        server_name=args.host,
        server_port=args.port,
        auth=access.login if access.required else None,
        auth_message="Ask the articles: log in" if access.required else None,
        max_file_size=f"{args.max_upload_mb:g}mb",
        css_paths=[ASSETS / "app.css"],
        head_paths=[ASSETS / "app.html"],
        show_error=True,
        quiet=True,
        prevent_thread_lock=True,
    )
    print(f"* Running on local URL:  {demo.local_url}", file=sys.stderr, flush=True)
    demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
