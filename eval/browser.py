"""Time answers as a user sees them: python -m eval.browser [--url URL] [--limit N] [--out DIR].

Asks the first N answerable gold questions in headless Chromium, each in a fresh session, and
reports the medians from pressing Enter to the cited preview, to the model's first word and to
the verified answer. Without --url it starts `python app.py` on the default library first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from config import ROOT
from eval.scoring import load_gold
from ui.browser import Asked, ask, launch, start_app


def measure(url: str, questions: list[str]) -> list[Asked]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for question in questions:
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("#question textarea")
            results.append(ask(page, question))
            print(f"{results[-1].first_token_s:5.2f}s  {question}", file=sys.stderr)
            page.close()
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.browser", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app (default: start one)")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "seeds.jsonl")
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "browser")
    args = parser.parse_args(argv)
    questions = [g.question for g in load_gold(args.gold) if not g.unanswerable][: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    server = None if args.url else start_app([], args.out / "app.log")
    try:
        results = measure(args.url or server.url, questions)
    finally:
        if server:
            server.stop()
    figures = {
        "n_questions": len(results),
        "preview_p50_s": statistics.median(r.preview_s for r in results),
        "first_token_p50_s": statistics.median(r.first_token_s for r in results),
        "total_p50_s": statistics.median(r.total_s for r in results),
        "questions": [{"question": q, **vars(r)} for q, r in zip(questions, results, strict=True)],
    }
    (args.out / "browser.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: v for k, v in figures.items() if k != "questions"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
