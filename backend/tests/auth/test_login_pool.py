"""A login must not hold a pooled database connection while bcrypt runs.

A 12-round bcrypt takes a quarter of a second of CPU or more.  If the login kept its
connection meanwhile, a burst of logins would take every connection of the pool and every
other request would wait for one (or fail with the pool's timeout): the benchmark found
exactly that (bench/, login at 50 connections).  Here the pool has one connection: a read
sent while a login is inside bcrypt must be answered before the login is.

PostgreSQL pass only (the pool settings apply to PostgreSQL engines; SQLite has no pool).
"""

from __future__ import annotations

import asyncio
import time

from tests.conftest import IS_POSTGRES, AppFactory
from tests.helpers import PASSWORD, register

if IS_POSTGRES:

    async def test_a_read_is_served_while_a_login_runs_bcrypt(make_app: AppFactory) -> None:
        h = await make_app(
            BCRYPT_ROUNDS=13,
            AUTO_VERIFY_EMAIL=True,
            DATABASE_POOL_SIZE=1,
            DATABASE_MAX_OVERFLOW=0,
            DATABASE_POOL_TIMEOUT=20,
        )
        assert (await register(h.client, "pool_rider")).status_code == 201
        finished: dict[str, float] = {}

        async def login() -> int:
            r = await h.client.post(
                "/auth/login", json={"login": "pool_rider", "password": PASSWORD}
            )
            finished["login"] = time.monotonic()
            return r.status_code

        async def read() -> int:
            await asyncio.sleep(0.15)  # the login has read the user and is hashing by now
            r = await h.client.get("/trips/public")
            finished["read"] = time.monotonic()
            return r.status_code

        statuses = await asyncio.gather(login(), read())
        assert statuses == [200, 200]
        assert finished["read"] < finished["login"], (
            "the read waited for the login's connection: the login held it through bcrypt"
        )
