"""The million-chunk search benchmark, run small: an inverted-file index behind the real searcher."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from config import ROOT

pytestmark = pytest.mark.real


def test_synthetic_search_runs_and_reports() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "eval.synthetic", "--chunks", "60000", "--queries", "5"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert figures["chunks"] == 60000 and 0 < figures["search_p50_ms"] < 5000 and figures["build_s"] > 0
