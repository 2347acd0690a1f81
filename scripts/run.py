"""Set up and serve the portal on the embedded default: SQLite, no broker, demo data."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    # The SQLite database lives in var/; WhiteNoise warns when var/static/ is missing.
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    manage("migrate", "--no-input")
    manage("seed_demo")
    address = os.environ.get("BOZOR_ADDRESS", "127.0.0.1:8000")
    print(
        f"\nBozor is running at http://{address}/  (admin: http://{address}/admin/)\n", flush=True
    )
    os.execv(PYTHON, [PYTHON, "manage.py", "runserver", "--noreload", address])
    return 0


if __name__ == "__main__":
    sys.exit(main())
