"""Check that the floor (floor_app.py) still runs the same SQL as the API.

Builds the real application in-process against the seeded database, sends one anonymous
``GET /trips/public?page=1`` and one ``GET /trips/{id}``, records every statement SQLAlchemy
sends, and compares them (whitespace-normalised, IN-lists folded) with the floor's.

    python bench/capture_sql.py --database-url postgresql+asyncpg://... --trip ID --out FILE

Writes {"match": bool, "endpoints": {name: {"api": [...], "floor": [...]}}} to FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "backend"))
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
from sqlalchemy import event  # noqa: E402

import floor_app  # noqa: E402

IN_LIST = re.compile(r"IN \((?:\$\d+::VARCHAR(?:, )?)+\)")


def normalise(statement: str) -> str:
    statement = re.sub(r"\s+", " ", statement).strip()
    statement = re.sub(r"\( ", "(", statement)
    statement = re.sub(r" \)", ")", statement)
    return IN_LIST.sub("IN ({ids})", statement)


async def capture(database_url: str, trip_id: str) -> dict[str, list[str]]:
    from src.config import load_settings
    from src.main import create_app

    settings = load_settings(
        SECRET_KEY=os.environ["BENCH_SECRET_KEY"],
        APP_ENV="local",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        RATE_LIMIT_ENABLED=False,
        REDIS_URL="",
        STORAGE_PATH=os.environ.get("BENCH_STORAGE", "/tmp/cv-bench-capture-storage"),
    )
    app = create_app(settings, start_workers=False)
    statements: list[str] = []

    @event.listens_for(app.state.services.db.engine.sync_engine, "before_cursor_execute")
    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(normalise(statement))

    found: dict[str, list[str]] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, path in (
                ("public_feed", "/trips/public?page=1"),
                ("trip_detail", f"/trips/{trip_id}"),
            ):
                statements.clear()
                response = await client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")
                found[name] = list(statements)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--trip", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    api = asyncio.run(capture(args.database_url, args.trip))
    result: dict[str, Any] = {"match": True, "endpoints": {}}
    for name, keys in floor_app.ENDPOINTS.items():
        floor = [normalise(floor_app.SQL[key]) for key in keys]
        same = api.get(name) == floor
        result["match"] = result["match"] and same
        result["endpoints"][name] = {
            "match": same,
            "api": api.get(name),
            "floor": floor,
        }
    args.out.write_text(json.dumps(result, indent=2))
    print("floor SQL matches the API" if result["match"] else "floor SQL DIFFERS from the API")


if __name__ == "__main__":
    main()
