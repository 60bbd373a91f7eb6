"""Create Superset's own virtual environment from dashboards/requirements.txt, once per requirements file.

Superset pins SQLAlchemy 1.4 and pandas 2.1, so it never shares Airflow's environment. `make dashboards`
and the dashboards test call this; it does nothing while the venv's stamp matches the requirements'
hash (`python scripts/superset_venv.py var/superset-venv`).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "dashboards" / "requirements.txt"


def ensure_venv(venv: Path, requirements: Path = REQUIREMENTS, python: str = sys.executable) -> Path:
    """The venv's Python, after installing ``requirements`` into ``venv`` if they changed since last time.

    Args:
        venv: where the environment lives (created when missing).
        requirements: the pinned requirements.
        python: the interpreter the venv is made from (a Python 3.11).
    """
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = venv / ".requirements-sha256"
    interpreter = venv / "bin" / "python"
    if interpreter.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest:
        return interpreter
    if not interpreter.exists():
        # A venv made from another venv's Python is based on the same installation (python3.11).
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(interpreter),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(requirements),
        ],
        check=True,
    )
    stamp.write_text(digest + "\n", encoding="utf-8")
    return interpreter


if __name__ == "__main__":
    print(ensure_venv(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "superset-venv"))
