"""Email through a transactional outbox.

:func:`queue_email` writes the message to ``email_outbox`` inside the request's transaction.
After the commit the :class:`EmailDispatcher` is woken up and delivers due messages through
SMTP (aiosmtplib) when ``SMTP_HOST`` is set, or to the console when it is not.  A delivery
failure reschedules the message with exponential backoff, so an SMTP outage loses nothing; a
message is claimed with a lease before sending, so several workers never send it twice at
the same time, and a worker that dies mid-send leaves it to be retried when the lease ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
from sqlalchemy import Index, Integer, String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from src.config import Settings
from src.core.database import Base, UTCDateTime, UUIDStr, after_commit, new_id, utcnow

logger = logging.getLogger("contravento.email")

LEASE = timedelta(minutes=5)
BATCH = 20


class EmailOutbox(Base):
    __tablename__ = "email_outbox"

    id: Mapped[str] = mapped_column(UUIDStr, primary_key=True, default=new_id)
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    #: pending -> sent, or failed after EMAIL_MAX_ATTEMPTS.
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_email_outbox_status_next_attempt_at", "status", "next_attempt_at"),)


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class ConsoleTransport:
    """Development transport: prints the message to standard output, never to the logs."""

    async def send(self, message: EmailMessage) -> None:
        text = (
            "\n===== email (console transport: SMTP_HOST is not set) =====\n"
            f"To: {message['To']}\nSubject: {message['Subject']}\n\n"
            f"{message.get_content()}\n"
            "=============================================================\n"
        )
        sys.stdout.write(text)
        sys.stdout.flush()


class SMTPTransport:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        implicit_tls = s.SMTP_TLS and s.SMTP_PORT == 465
        await aiosmtplib.send(
            message,
            hostname=s.SMTP_HOST,
            port=s.SMTP_PORT,
            username=s.SMTP_USER or None,
            password=s.SMTP_PASSWORD or None,
            use_tls=implicit_tls,
            start_tls=bool(s.SMTP_TLS and not implicit_tls),
            timeout=s.SMTP_TIMEOUT_SECONDS,
        )


def make_transport(settings: Settings) -> Transport:
    return SMTPTransport(settings) if settings.SMTP_HOST else ConsoleTransport()


def queue_email(session: AsyncSession, to: str, subject: str, body: str) -> None:
    """Add a message to the outbox in the current transaction; it is sent after commit."""
    session.add(EmailOutbox(to_address=to, subject=subject, body=body))
    dispatcher: EmailDispatcher | None = session.info.get("email_dispatcher")
    if dispatcher is not None and not session.info.get("email_wakeup_registered"):
        session.info["email_wakeup_registered"] = True

        async def _wake() -> None:
            dispatcher.wake()

        after_commit(session, _wake)


class EmailDispatcher:
    """Delivers due outbox messages; woken after commits and every ``poll_interval``."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: Transport | None = None,
        poll_interval: float = 30.0,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.transport = transport or make_transport(settings)
        self.poll_interval = poll_interval
        self._event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def wake(self) -> None:
        self._event.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="email-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:
                logger.exception("email dispatcher iteration failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout=self.poll_interval)
            self._event.clear()

    def _backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(3600, 15 * 2 ** max(0, attempts - 1)))

    async def deliver_due(self, now: datetime | None = None) -> int:
        """Deliver every message that is due; return how many were sent."""
        async with self._lock:
            sent = 0
            while True:
                batch_sent, claimed = await self._deliver_batch(now)
                sent += batch_sent
                if claimed < BATCH:
                    return sent

    async def _deliver_batch(self, now: datetime | None) -> tuple[int, int]:
        moment = now or utcnow()
        async with self.sessionmaker() as session:
            rows = (
                await session.execute(
                    select(EmailOutbox.id, EmailOutbox.next_attempt_at)
                    .where(EmailOutbox.status == "pending", EmailOutbox.next_attempt_at <= moment)
                    .order_by(EmailOutbox.next_attempt_at)
                    .limit(BATCH)
                )
            ).all()
            claimed: list[str] = []
            for row_id, due in rows:
                result = await session.execute(
                    update(EmailOutbox)
                    .where(
                        EmailOutbox.id == row_id,
                        EmailOutbox.status == "pending",
                        EmailOutbox.next_attempt_at == due,
                    )
                    .values(next_attempt_at=moment + LEASE, attempts=EmailOutbox.attempts + 1)
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(row_id)
            await session.commit()

        sent = 0
        for row_id in claimed:
            async with self.sessionmaker() as session:
                item = await session.get(EmailOutbox, row_id)
                if item is None:
                    continue
                message = EmailMessage()
                message["From"] = self.settings.SMTP_FROM
                message["To"] = item.to_address
                message["Subject"] = item.subject
                message.set_content(item.body)
                try:
                    await self.transport.send(message)
                except Exception as exc:  # any transport failure is retried
                    item.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                    if item.attempts >= self.settings.EMAIL_MAX_ATTEMPTS:
                        item.status = "failed"
                        logger.error(
                            "email delivery failed for good",
                            extra={"email_id": item.id, "attempts": item.attempts},
                        )
                    else:
                        item.next_attempt_at = utcnow() + self._backoff(item.attempts)
                        logger.warning(
                            "email delivery failed; will retry",
                            extra={"email_id": item.id, "attempts": item.attempts},
                        )
                else:
                    item.status = "sent"
                    item.sent_at = utcnow()
                    sent += 1
                await session.commit()
        return sent, len(rows)
