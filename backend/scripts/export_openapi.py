"""Write the API's OpenAPI schema as JSON (for the web app's generated types).

python scripts/export_openapi.py ../frontend/src/api/openapi.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _common import BACKEND_DIR  # noqa: F401  (puts the backend on sys.path)

from src.config import load_settings
from src.main import create_app


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    settings = load_settings(
        APP_ENV="development",
        SECRET_KEY="openapi-export-" + "x" * 32,
        DATABASE_URL="sqlite+aiosqlite:///:memory:",
        BACKEND_URL="http://localhost:8000",
        LOG_LEVEL="WARNING",
        _env_file=None,
    )
    schema = create_app(settings, start_workers=False).openapi()
    text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if target is None:
        sys.stdout.write(text)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
