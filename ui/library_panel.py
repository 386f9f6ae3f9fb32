"""The library tab's wiring: upload and removal through `index.library.Library`, refused for an
account that may only ask (ui/access.py), each answered with the refreshed table and choices."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from index import CorpusEmpty
from index.library import UploadRejected
from ui import render
from ui.access import READ_ONLY, Access
from ui.session import Service


def library_outputs(service: Service, status: str) -> tuple:
    """The library table, the removal choices, the publisher filter's choices, and `status`."""
    entries = service.library.entries()
    files = [(f"{e.title} ({Path(e.path.split('#')[0]).name})", e.path) for e in entries]
    publishers = sorted({e.publisher for e in entries if e.publisher})
    return (
        render.library_table(entries),
        gr.update(choices=files, value=None),
        gr.update(choices=publishers),
        status,
    )


def wire_library(service: Service, access: Access, table, upload, pick, remove, status, publishers) -> None:
    """Upload and removal: each refreshes the table, the removal and publisher choices and the
    status line; an account that may only ask is refused (`access`)."""
    outputs = [table, pick, publishers, status]

    def add(files: list[str] | None, request: gr.Request,
            progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple:  # noqa: B008  # fmt: skip
        if not files:
            return (*library_outputs(service, ""), None)
        if not access.may_edit(request.username):
            gr.Warning(READ_ONLY)
            return (*library_outputs(service, render.status(["Not added.", READ_ONLY])), None)
        try:
            report = service.library.add([Path(f) for f in files], progress=True)
        except (UploadRejected, CorpusEmpty) as err:
            gr.Warning(str(err))
            return (*library_outputs(service, render.status(["Not added.", str(err)])), None)
        return (*library_outputs(service, render.status(report.lines())), None)

    def drop(path: str | None, request: gr.Request,
             progress: gr.Progress = gr.Progress(track_tqdm=True)) -> tuple:  # noqa: B008  # fmt: skip
        if not access.may_edit(request.username):
            raise gr.Error(READ_ONLY)
        if not path:
            raise gr.Error("Choose an article to remove.")
        try:
            report = service.library.remove(path, progress=True)
        except (UploadRejected, CorpusEmpty) as err:
            raise gr.Error(str(err)) from None
        return library_outputs(service, render.status(report.lines()))

    upload.upload(add, upload, [*outputs, upload], concurrency_id="library", api_visibility="private")
    remove.click(drop, pick, outputs, concurrency_id="library", api_visibility="private")
