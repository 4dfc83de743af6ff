"""The engine stays pure: importing it loads neither Django nor scipy."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_engine_loads_neither_django_nor_scipy():
    code = (
        "import sys, matching.engine, matching.engine.synthetic; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'scipy'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
