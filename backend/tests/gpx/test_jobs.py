"""Files over 1 MB: queued as a job in the database (202), processed by a worker, and never
left ``processing`` for ever (crash recovery, several workers, failures, retries)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from src.core.database import utcnow
from src.gpx import jobs as jobs_module
from src.gpx.jobs import GPXJobRunner
from src.gpx.models import GPXFile
from tests.conftest import AppFactory, AppHarness
from tests.gpx.helpers import gpx_row, storage_file, track, upload
from tests.gpx.test_routes import UPLOAD_KEYS
from tests.trips.helpers import Rider, make_rider, published_trip

BIG = "via-verde.gpx"  # 1.1 MB: over the 1 MB synchronous limit


def runner(h: AppHarness) -> GPXJobRunner:
    jobs: GPXJobRunner = h.app.state.gpx_jobs
    return jobs


async def _queued(h: AppHarness, name: str = "ana") -> tuple[Rider, str, str]:
    rider = await make_rider(h, name)
    trip = await published_trip(h, rider, distance_km=None)
    response = await upload(h, rider, trip["trip_id"], track(BIG))
    assert response.status_code == 202, response.text
    return rider, trip["trip_id"], response.json()["data"]["gpx_file_id"]


async def _set(h: AppHarness, gpx_file_id: str, **values: object) -> None:
    async with h.services.db.sessionmaker() as session:
        await session.execute(
            update(GPXFile).where(GPXFile.gpx_file_id == gpx_file_id).values(**values)
        )
        await session.commit()


async def test_large_upload_is_queued_then_processed(harness: AppHarness) -> None:
    _ana, trip_id, gpx_id = await _queued(harness)
    # the 202 answer (E1, as the contract says)
    status = await harness.client.get(f"/gpx/{gpx_id}/status")
    data = status.json()["data"]
    assert data["processing_status"] == "processing"
    assert data["distance_km"] is None
    assert data["total_points"] is None
    row = await gpx_row(harness, gpx_id)
    assert row.processing_status == "pending"
    assert row.attempts == 0

    outcomes = await runner(harness).run_pending()
    assert [o.result for o in outcomes] == ["completed"]
    data = (await harness.client.get(f"/gpx/{gpx_id}/status")).json()["data"]
    assert data["processing_status"] == "completed"
    assert data["distance_km"] == 143.66
    assert data["total_points"] == 11443
    assert data["processed_at"] is not None
    row = await gpx_row(harness, gpx_id)
    assert row.attempts == 1
    assert row.lease_expires_at is None
    track_data = (await harness.client.get(f"/gpx/{gpx_id}/track")).json()["data"]
    assert track_data["simplified_points_count"] == row.simplified_points > 100
    # the trip took the track's distance, and the stats followed
    trip = (await harness.client.get(f"/trips/{trip_id}")).json()["data"]
    assert trip["distance_km"] == 143.66
    stats = (await harness.client.get("/users/ana/stats")).json()["data"]
    assert stats["total_kilometers"] == 143.66
    assert await runner(harness).run_pending() == []


async def test_the_202_answer(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana)
    response = await upload(harness, ana, trip["trip_id"], track(BIG))
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"success", "data", "error"}
    assert body["error"] is None
    data = body["data"]
    assert set(data) == UPLOAD_KEYS
    assert data["processing_status"] == "processing"
    assert data["processed_at"] is None
    assert data["error_message"] is None
    assert all(
        data[key] is None
        for key in ("distance_km", "elevation_gain", "total_points", "simplified_points")
    )


async def test_a_crashed_worker_s_job_is_resumed(harness: AppHarness) -> None:
    """A worker claimed the job and died: the job is 'processing' with an expired lease."""
    _ana, _trip_id, gpx_id = await _queued(harness)
    claim = await runner(harness).claim()
    assert claim is not None
    assert claim.attempt == 1
    assert (await gpx_row(harness, gpx_id)).processing_status == "processing"
    # nothing else can take it while the lease runs
    assert await runner(harness).claim() is None
    assert await runner(harness).recover() == (0, 0)

    await _set(harness, gpx_id, lease_expires_at=utcnow() - timedelta(seconds=1))
    assert await runner(harness).recover() == (1, 0)
    row = await gpx_row(harness, gpx_id)
    assert row.processing_status == "pending"
    assert row.lease_expires_at is None
    outcomes = await runner(harness).run_pending()
    assert [o.result for o in outcomes] == ["completed"]
    row = await gpx_row(harness, gpx_id)
    assert row.processing_status == "completed"
    assert row.attempts == 2

    # the dead worker wakes up later: its result is refused (the claim is no longer its)
    assert (await runner(harness).process(claim)).result == "dropped"


async def test_a_job_that_keeps_crashing_fails_cleanly(harness: AppHarness) -> None:
    _ana, _trip_id, gpx_id = await _queued(harness)
    await _set(
        harness,
        gpx_id,
        processing_status="processing",
        attempts=jobs_module.MAX_ATTEMPTS,
        lease_expires_at=utcnow() - timedelta(minutes=1),
    )
    assert await runner(harness).recover() == (0, 1)
    data = (await harness.client.get(f"/gpx/{gpx_id}/status")).json()["data"]
    assert data["processing_status"] == "failed"
    assert data["error_message"] == (
        f"El procesamiento del archivo GPX falló {jobs_module.MAX_ATTEMPTS} veces; súbelo de nuevo"
    )
    assert data["processed_at"] is not None
    assert await runner(harness).run_pending() == []


async def test_startup_recovers_stale_jobs(make_app: AppFactory, harness: AppHarness) -> None:
    _ana, _trip_id, gpx_id = await _queued(harness)
    await _set(
        harness,
        gpx_id,
        processing_status="processing",
        attempts=1,
        lease_expires_at=utcnow() - timedelta(minutes=10),
    )
    restarted = await make_app(STORAGE_PATH=harness.services.settings.STORAGE_PATH)
    row = await gpx_row(restarted, gpx_id)
    assert row.processing_status == "pending"
    outcomes = await runner(restarted).run_pending()
    assert [o.result for o in outcomes] == ["completed"]


async def test_several_workers_never_take_the_same_job(harness: AppHarness) -> None:
    riders = ["ana", "bea", "carla"]
    queued = [await _queued(harness, name) for name in riders]
    workers = [
        GPXJobRunner(harness.services.db.sessionmaker, harness.services.storage) for _ in range(3)
    ]
    results = await asyncio.gather(*(worker.run_pending() for worker in workers))
    done = [outcome.gpx_file_id for outcomes in results for outcome in outcomes]
    assert sorted(done) == sorted(gpx_id for _r, _t, gpx_id in queued)
    for _rider, _trip, gpx_id in queued:
        row = await gpx_row(harness, gpx_id)
        assert row.processing_status == "completed"
        assert row.attempts == 1


async def test_concurrent_claims_of_one_job(harness: AppHarness) -> None:
    _ana, _trip_id, gpx_id = await _queued(harness)
    workers = [
        GPXJobRunner(harness.services.db.sessionmaker, harness.services.storage) for _ in range(4)
    ]
    claims = await asyncio.gather(*(worker.claim() for worker in workers))
    taken = [claim for claim in claims if claim is not None]
    assert len(taken) == 1
    assert taken[0].gpx_file_id == gpx_id


async def test_a_refused_file_fails_with_its_reason(harness: AppHarness) -> None:
    ana = await make_rider(harness, "ana")
    trip = await published_trip(harness, ana)
    # a GPX root (accepted when queued) with an impossible elevation far into the file
    data = track(BIG).replace(b"<ele>264.950</ele>", b"<ele>9264.950</ele>")
    response = await upload(harness, ana, trip["trip_id"], data)
    assert response.status_code == 202
    gpx_id = response.json()["data"]["gpx_file_id"]
    outcomes = await runner(harness).run_pending()
    assert [o.result for o in outcomes] == ["failed"]
    status = (await harness.client.get(f"/gpx/{gpx_id}/status")).json()["data"]
    assert status["processing_status"] == "failed"
    assert status["error_message"].startswith(
        "Error al procesar archivo GPX: Elevación anómala detectada: 9265.0 m"
    )
    track_response = await harness.client.get(f"/gpx/{gpx_id}/track")
    assert track_response.json()["error"]["code"] == "NOT_PROCESSED"
    # a failed track can be deleted and replaced
    assert (
        await harness.client.delete(f"/trips/{trip['trip_id']}/gpx", headers=ana.headers)
    ).status_code == 204


async def test_unexpected_errors_are_retried_then_fail(
    harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ana, _trip_id, gpx_id = await _queued(harness)
    worker = runner(harness)
    calls = 0

    async def broken_read(key: str) -> bytes:
        nonlocal calls
        calls += 1
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(worker.storage, "read", broken_read)
    now = utcnow()
    for attempt in range(1, jobs_module.MAX_ATTEMPTS + 1):
        # each retry waits RETRY_DELAY x the attempts so far
        moment = now + (jobs_module.RETRY_DELAY + timedelta(seconds=1)) * (attempt - 1)
        outcomes = await worker.run_pending(moment)
        expected = "retry" if attempt < jobs_module.MAX_ATTEMPTS else "failed"
        assert [o.result for o in outcomes] == [expected]
        row = await gpx_row(harness, gpx_id)
        assert row.attempts == attempt
        if expected == "retry":
            # not before its retry delay
            assert row.processing_status == "pending"
            assert await worker.run_pending(now) == []
    assert calls == jobs_module.MAX_ATTEMPTS
    assert (await gpx_row(harness, gpx_id)).processing_status == "failed"


async def test_a_track_deleted_while_queued_is_dropped(harness: AppHarness) -> None:
    ana, trip_id, gpx_id = await _queued(harness)
    claim = await runner(harness).claim()
    assert claim is not None
    key = (await gpx_row(harness, gpx_id)).file_key
    assert (
        await harness.client.delete(f"/trips/{trip_id}/gpx", headers=ana.headers)
    ).status_code == 204
    assert not storage_file(harness, key).exists()
    outcome = await runner(harness).process(claim)
    assert outcome.result in ("dropped", "failed")
    async with harness.services.db.sessionmaker() as session:
        assert await session.get(GPXFile, gpx_id) is None


async def test_the_worker_loop_processes_after_an_upload(harness: AppHarness) -> None:
    worker = runner(harness)
    worker.start()
    try:
        _ana, _trip_id, gpx_id = await _queued(harness)
        for _ in range(200):
            if (await gpx_row(harness, gpx_id)).processing_status == "completed":
                break
            await asyncio.sleep(0.05)
        assert (await gpx_row(harness, gpx_id)).processing_status == "completed"
    finally:
        await worker.stop()
