"""Background processing of large GPX files, recorded in the database.

The job is the ``gpx_files`` row: ``pending`` until a worker claims it, ``processing`` while
a worker holds its lease, then ``completed`` or ``failed``.

* **Claiming** is one conditional ``UPDATE ... WHERE processing_status = 'pending'``: of
  several workers (threads, processes, machines) exactly one gets each job.  The claim
  increments ``attempts``, which then fences the result: a worker whose lease was taken
  over can no longer write anything.
* **Crash safety**: a worker that dies leaves its job ``processing`` with a lease that
  expires (:data:`LEASE`).  :meth:`GPXJobRunner.recover` (run at startup and before every
  round) puts such jobs back in the queue, or marks them failed after
  :data:`MAX_ATTEMPTS` claims, so no job stays ``processing`` for ever.
* **Failures**: a file we refuse fails at once with the reason; an unexpected error (the
  storage is down, ...) is retried after a delay, up to :data:`MAX_ATTEMPTS` claims.
* The parsing and maths run in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from src.core.database import utcnow
from src.core.i18n import translate
from src.core.storage import Storage
from src.gpx import repository, service
from src.gpx.parsing import GPXError

logger = logging.getLogger("contravento.gpx.jobs")

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3
RETRY_DELAY = timedelta(seconds=30)
#: jobs looked at per claim round
CLAIM_BATCH = 10

OnChange = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Claim:
    gpx_file_id: str
    attempt: int
    file_key: str


@dataclass(frozen=True)
class Outcome:
    gpx_file_id: str
    #: ``completed``, ``failed``, ``retry`` (queued again) or ``dropped`` (deleted/taken over)
    result: str


class GPXJobRunner:
    """Claims and processes queued GPX files; woken after uploads and every ``poll_interval``."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        storage: Storage,
        *,
        poll_interval: float = 30.0,
        on_change: OnChange | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.storage = storage
        self.poll_interval = poll_interval
        self.on_change = on_change
        self._event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------
    def wake(self) -> None:
        self._event.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="gpx-jobs")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.recover()
                await self.run_pending()
            except Exception:
                logger.exception("GPX job round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout=self.poll_interval)
            self._event.clear()

    # --- recovery ----------------------------------------------------------------------
    async def recover(self, now: datetime | None = None) -> tuple[int, int]:
        """Requeue (or fail, after MAX_ATTEMPTS) jobs whose worker vanished."""
        moment = now or utcnow()
        message = translate("gpx_job_gave_up", language="es", attempts=MAX_ATTEMPTS)
        async with self.sessionmaker() as session:
            requeued, failed = await repository.recover_stale(
                session, moment, MAX_ATTEMPTS, message
            )
            await session.commit()
        if requeued or failed:
            logger.warning(
                "recovered interrupted GPX jobs", extra={"requeued": requeued, "failed": failed}
            )
            if failed:
                await self._changed()
        return requeued, failed

    async def recover_at_startup(self) -> None:
        """The lifespan's recovery step: never keeps the API from starting."""
        try:
            await self.recover()
        except Exception:
            logger.exception("GPX job recovery failed at startup")

    # --- processing --------------------------------------------------------------------
    async def claim(self, now: datetime | None = None) -> Claim | None:
        """Take the oldest claimable job, or None when there is none."""
        moment = now or utcnow()
        async with self.sessionmaker() as session:
            for gpx_file_id in await repository.claimable_ids(session, moment, CLAIM_BATCH):
                claimed = await repository.claim(session, gpx_file_id, moment, LEASE)
                if claimed is not None:
                    await session.commit()
                    attempt, key = claimed
                    return Claim(gpx_file_id=gpx_file_id, attempt=attempt, file_key=key)
            await session.rollback()
        return None

    async def run_pending(self, now: datetime | None = None) -> list[Outcome]:
        """Process claimable jobs until none is left."""
        outcomes: list[Outcome] = []
        while True:
            claim = await self.claim(now)
            if claim is None:
                return outcomes
            outcomes.append(await self.process(claim))

    async def process(self, claim: Claim) -> Outcome:
        try:
            data = await self.storage.read(claim.file_key)
        except FileNotFoundError:
            return await self._fail(claim, translate("gpx_original_missing", language="es"))
        except Exception as exc:
            return await self._retry(claim, exc)
        try:
            processed = await asyncio.to_thread(service.read_and_process, data)
        except GPXError as error:
            detail = translate(error.key, language="es", **error.params)
            message = translate(
                "gpx_processing_error", language="es", detail=detail[:1].upper() + detail[1:]
            )
            return await self._fail(claim, message)
        except Exception as exc:
            return await self._retry(claim, exc)
        try:
            async with self.sessionmaker() as session:
                stored = await service.complete_job(
                    session, claim.gpx_file_id, claim.attempt, processed, utcnow() + LEASE
                )
                await session.commit()
        except Exception as exc:
            return await self._retry(claim, exc)
        if not stored:
            return Outcome(claim.gpx_file_id, "dropped")
        await self._changed()
        return Outcome(claim.gpx_file_id, "completed")

    async def _fail(self, claim: Claim, message: str) -> Outcome:
        async with self.sessionmaker() as session:
            done = await repository.finish_job(
                session,
                claim.gpx_file_id,
                claim.attempt,
                {
                    "processing_status": "failed",
                    "error_message": message,
                    "lease_expires_at": None,
                    "processed_at": utcnow(),
                },
            )
            await session.commit()
        if done:
            await self._changed()
        return Outcome(claim.gpx_file_id, "failed" if done else "dropped")

    async def _retry(self, claim: Claim, exc: Exception) -> Outcome:
        logger.warning(
            "GPX job attempt failed",
            extra={"gpx_file_id": claim.gpx_file_id, "attempt": claim.attempt},
            exc_info=exc,
        )
        if claim.attempt >= MAX_ATTEMPTS:
            return await self._fail(
                claim, translate("gpx_job_gave_up", language="es", attempts=claim.attempt)
            )
        async with self.sessionmaker() as session:
            done = await repository.finish_job(
                session,
                claim.gpx_file_id,
                claim.attempt,
                {
                    "processing_status": "pending",
                    "lease_expires_at": utcnow() + RETRY_DELAY * claim.attempt,
                },
            )
            await session.commit()
        return Outcome(claim.gpx_file_id, "retry" if done else "dropped")

    async def _changed(self) -> None:
        if self.on_change is not None:
            try:
                await self.on_change()
            except Exception:
                logger.exception("GPX job change callback failed")
