"""Run every check (ruff, mypy, lint-imports, pytest) on PostgreSQL and Redis, else SQLite.

With BOZOR_REQUIRE_SERVICES=1 (as in CI) a missing PostgreSQL or Redis is a failure, never a
silent fall back to SQLite. Extra arguments go to pytest.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    require = env.get("BOZOR_REQUIRE_SERVICES") == "1"
    if "DATABASE_URL" not in env and reachable("127.0.0.1", 5432):
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bozor"
    if "CELERY_BROKER_URL" not in env and reachable("127.0.0.1", 6379):
        env["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/15"
    if require:
        missing = [
            name
            for name, prefix in (("DATABASE_URL", "postgres"), ("CELERY_BROKER_URL", "redis"))
            if not env.get(name, "").startswith(prefix)
        ]
        if missing:
            print(f"BOZOR_REQUIRE_SERVICES=1 but {', '.join(missing)} not set", file=sys.stderr)
            return 2
    print(f"database: {env.get('DATABASE_URL') or 'SQLite (var/)'}")
    print(f"broker:   {env.get('CELERY_BROKER_URL') or 'none (PostgreSQL/Redis tests skip)'}")
    steps = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "ruff"), "format", "--check", "."],
        [str(BIN / "mypy"), "."],
        # The import contracts of pyproject.toml: layers, no cycles inside an app.
        [str(BIN / "lint-imports"), "--no-cache", "--no-logo"],
        [str(BIN / "python"), "-m", "pytest", *argv],
    ]
    for step in steps:
        print("$", " ".join(step), flush=True)
        code = subprocess.call(step, cwd=ROOT, env=env)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
