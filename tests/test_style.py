"""The code stays ruff-clean and core/ never imports streamlit (so it is testable without a server)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -r requirements-dev.txt)")
    result = subprocess.run([ruff, "check", "--no-cache", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_never_imports_streamlit():
    pattern = re.compile(r"^\s*(import|from)\s+streamlit", re.MULTILINE)
    offenders = [p.name for p in (ROOT / "core").glob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_core_imports_without_streamlit_loaded():
    code = "import sys, core.train, core.symmetry; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
