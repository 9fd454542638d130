"""The email outbox: after-commit delivery, retries with backoff, a real SMTP sink."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from src.core.database import utcnow
from src.core.email import EmailOutbox
from tests.conftest import AppHarness
from tests.helpers import PASSWORD, register, token_from_link


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sink:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 OK"


async def test_smtp_outage_loses_no_email(harness: AppHarness) -> None:
    harness.mail.fail_next = 2
    await register(harness.client, "outage", "outage@example.com")
    assert await harness.deliver_mail() == []
    async with harness.services.db.sessionmaker() as session:
        row = (await session.execute(select(EmailOutbox))).scalar_one()
        assert row.status == "pending"
        assert row.attempts == 1
        assert row.last_error
        assert "unreachable" in row.last_error
        assert row.next_attempt_at > utcnow()
        # wait out the backoff
        await session.execute(update(EmailOutbox).values(next_attempt_at=utcnow()))
        await session.commit()
    assert await harness.deliver_mail() == []  # second failure
    async with harness.services.db.sessionmaker() as session:
        await session.execute(update(EmailOutbox).values(next_attempt_at=utcnow()))
        await session.commit()
    messages = await harness.deliver_mail()
    assert len(messages) == 1
    async with harness.services.db.sessionmaker() as session:
        row = (await session.execute(select(EmailOutbox))).scalar_one()
        assert row.status == "sent"
        assert row.attempts == 3
        assert row.sent_at is not None


async def test_gives_up_after_max_attempts(make_app) -> None:  # type: ignore[no-untyped-def]
    h = await make_app(EMAIL_MAX_ATTEMPTS=2)
    h.mail.fail_next = 5
    await register(h.client, "giveup", "giveup@example.com")
    for _ in range(3):
        await h.deliver_mail()
        async with h.services.db.sessionmaker() as session:
            await session.execute(
                update(EmailOutbox).values(next_attempt_at=utcnow() - timedelta(seconds=1))
            )
            await session.commit()
    async with h.services.db.sessionmaker() as session:
        row = (await session.execute(select(EmailOutbox))).scalar_one()
        assert row.status == "failed"
        assert row.attempts == 2


async def test_rolled_back_request_sends_nothing(harness: AppHarness) -> None:
    await register(harness.client, "dupmail", "dupmail@example.com")
    await harness.deliver_mail()
    # same username: the request fails and its transaction (with any email) is rolled back
    await register(harness.client, "dupmail", "another@example.com")
    async with harness.services.db.sessionmaker() as session:
        rows = (await session.execute(select(EmailOutbox))).scalars().all()
    assert len(rows) == 1


async def test_delivery_through_a_real_smtp_server(make_app) -> None:  # type: ignore[no-untyped-def]
    port = _free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        h = await make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="noreply@cv.test")
        from src.core.email import SMTPTransport

        h.services.email.transport = SMTPTransport(h.services.settings)
        await register(h.client, "smtp_user", "smtp_user@example.com")
        await h.services.email.deliver_due()
        assert len(sink.messages) == 1
        raw = sink.messages[0].decode()
        assert "To: smtp_user@example.com" in raw
        assert "From: noreply@cv.test" in raw
        token = token_from_link(raw.replace("=\r\n", "").replace("=3D", "="), "verify-email")
        r = await h.client.post("/auth/verify-email", params={"token": token})
        assert r.status_code == 200
        login = await h.client.post(
            "/auth/login", json={"login": "smtp_user", "password": PASSWORD}
        )
        assert login.status_code == 200
    finally:
        controller.stop()


async def test_background_dispatcher_sends_after_commit(make_app) -> None:  # type: ignore[no-untyped-def]
    h = await make_app()
    h.services.email.start()  # the real worker loop, woken by the commit
    try:
        await register(h.client, "bg_user", "bg_user@example.com")
        for _ in range(100):
            if h.mail.messages:
                break
            await asyncio.sleep(0.02)
        assert [m["To"] for m in h.mail.messages] == ["bg_user@example.com"]
    finally:
        await h.services.email.stop()


async def test_console_transport_writes_stdout_not_logs(capsys, caplog) -> None:  # type: ignore[no-untyped-def]
    from email.message import EmailMessage

    from src.core.email import ConsoleTransport

    message = EmailMessage()
    message["To"] = "x@example.com"
    message["Subject"] = "Hi"
    message.set_content("link with token=abc")
    await ConsoleTransport().send(message)
    assert "token=abc" in capsys.readouterr().out
    assert "token=abc" not in caplog.text
