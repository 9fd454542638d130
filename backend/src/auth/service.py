"""The auth domain's rules: registration, verification, login and lockout, token rotation,
password reset.  Knows no HTTP."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth import repository
from src.auth.models import AuthToken, User
from src.auth.schemas import (
    LoginData,
    RegisterRequest,
    TokenData,
    UserResponse,
    check_strong_password,
    check_username,
)
from src.core import metrics
from src.core.database import utcnow
from src.core.dependencies import Services
from src.core.email import queue_email
from src.core.errors import DomainError, TooManyRequests, Unauthorized
from src.core.i18n import translate
from src.core.ratelimit import hashed_key
from src.core.security import AccessClaims, PasswordHasher, digest_token, new_opaque_token
from src.core.storage import delete_after_commit
from src.users import service as users_service

logger = logging.getLogger("contravento.auth")

EMAIL_VERIFICATION = "email_verification"
PASSWORD_RESET = "password_reset"
REFRESH = "refresh_token"


class InvalidCredentials(DomainError):
    status_code = 401
    code = "INVALID_CREDENTIALS"
    message_key = "invalid_credentials"
    persist = True  # the failed-attempt counter must survive the error


class AccountLocked(DomainError):
    status_code = 429
    code = "ACCOUNT_LOCKED"
    message_key = "account_locked"
    persist = True


class InvalidRefreshToken(DomainError):
    status_code = 401
    code = "INVALID_REFRESH_TOKEN"
    message_key = "invalid_refresh_token"
    persist = True  # a reused token revokes its family, and that must stick


@dataclass
class RegisterResult:
    user: User
    auto_verified: bool


class AuthService:
    def __init__(self, session: AsyncSession, services: Services) -> None:
        self.session = session
        self.services = services
        self.settings = services.settings

    # ----------------------------------------------------------------------------------
    # registration and verification
    # ----------------------------------------------------------------------------------
    async def register(self, data: RegisterRequest) -> RegisterResult:
        await self._ensure_unique(data.username, data.email)
        hashed = await self.services.hasher.hash(data.password)
        auto_verify = self.settings.auto_verify_email
        user = User(
            username=data.username,
            email=data.email,
            hashed_password=hashed,
            is_verified=auto_verify,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(user)
                await self.session.flush()
        except IntegrityError:
            # Another request took the username or email between our check and our insert.
            await self._ensure_unique(data.username, data.email)
            raise
        await users_service.create_profile(self.session, user.id, data.full_name)
        if not auto_verify:
            await self._send_verification(user)
        await self.session.flush()
        metrics.count_after_commit(self.session, metrics.REGISTRATIONS)
        return RegisterResult(user=user, auto_verified=auto_verify)

    async def _ensure_unique(self, username: str, email: str) -> None:
        if await repository.username_exists(self.session, username):
            raise DomainError(
                "username_taken", code="USERNAME_TAKEN", field="username", username=username
            )
        if await repository.email_exists(self.session, email):
            raise DomainError("email_taken", code="EMAIL_TAKEN", field="email")

    def _issue_token(
        self, user_id: str, token_type: str, ttl: timedelta, family_id: str | None = None
    ) -> str:
        token = new_opaque_token()
        self.session.add(
            AuthToken(
                user_id=user_id,
                token_hash=digest_token(token),
                token_type=token_type,
                family_id=family_id,
                expires_at=utcnow() + ttl,
            )
        )
        return token

    async def _send_verification(self, user: User) -> None:
        hours = self.settings.VERIFICATION_TOKEN_EXPIRE_HOURS
        token = self._issue_token(user.id, EMAIL_VERIFICATION, timedelta(hours=hours))
        link = f"{self.settings.FRONTEND_URL.rstrip('/')}/verify-email?token={token}"
        queue_email(
            self.session,
            user.email,
            translate("email_verify_subject"),
            translate("email_verify_body", username=user.username, hours=hours, link=link),
        )

    async def _use_one_time_token(self, token: str, token_type: str) -> AuthToken:
        """Validate and consume a verification or reset token (single use, expiring)."""
        row = await repository.find_token(self.session, digest_token(token), token_type)
        now = utcnow()
        if row is None or row.used_at is not None or row.revoked_at is not None:
            raise DomainError("invalid_token", code="INVALID_TOKEN")
        if row.expires_at <= now:
            raise DomainError("token_expired", code="TOKEN_EXPIRED")
        if not await repository.consume_token(self.session, row.id, now):
            raise DomainError("invalid_token", code="INVALID_TOKEN")
        return row

    async def verify_email(self, token: str) -> None:
        row = await self._use_one_time_token(token, EMAIL_VERIFICATION)
        user = await repository.get_user(self.session, row.user_id)
        if user is None:
            raise DomainError("invalid_token", code="INVALID_TOKEN")
        user.is_verified = True
        await repository.revoke_user_tokens(self.session, user.id, EMAIL_VERIFICATION, utcnow())

    async def resend_verification(self, email: str) -> None:
        """Same answer for unknown, verified and unverified addresses (no enumeration)."""
        email = email.strip().lower()
        state = await self.services.limiter.hit(
            self.services.limiter.verification_emails, "resend-verification", hashed_key(email)
        )
        if not state.allowed:
            raise TooManyRequests("too_many_attempts", retry_after=state.retry_after)
        user = await repository.get_by_email(self.session, email)
        if user is not None and user.is_active and not user.is_verified:
            await self._send_verification(user)

    # ----------------------------------------------------------------------------------
    # login, refresh, logout
    # ----------------------------------------------------------------------------------
    async def login(self, identifier: str, password: str) -> LoginData:
        limiter = self.services.limiter
        user = await repository.get_by_login(self.session, identifier)
        now = utcnow()
        minutes = self.settings.LOGIN_LOCKOUT_MINUTES

        if user is None:
            # Unknown identifiers behave like known ones: same bcrypt cost, same lockout.
            key = hashed_key(identifier.lower())
            state = await limiter.failure_state("login-unknown", key)
            if not state.allowed:
                raise AccountLocked(minutes=max(1, -(-state.retry_after // 60)))
            await self._release_connection()
            await self.services.hasher.verify(password, None)
            state = await limiter.count_failure("login-unknown", key)
            if not state.allowed:
                raise AccountLocked(minutes=minutes)
            raise InvalidCredentials()

        if user.locked_until is not None:
            if user.locked_until > now:
                remaining = int((user.locked_until - now).total_seconds())
                raise AccountLocked(minutes=max(1, -(-remaining // 60)))
            # The lock expired: a fresh count starts.
            user.locked_until = None
            user.failed_login_attempts = 0
            await self.session.flush()

        await self._release_connection()
        if not await self.services.hasher.verify(password, user.hashed_password):
            attempts, locked_until = await repository.record_failed_login(
                self.session,
                user.id,
                self.settings.LOGIN_MAX_ATTEMPTS,
                now + timedelta(minutes=minutes),
            )
            logger.info("login failed", extra={"user_id": user.id, "attempts": attempts})
            if locked_until is not None and locked_until > now:
                raise AccountLocked(minutes=minutes)
            raise InvalidCredentials()

        if not user.is_verified:
            raise DomainError("email_not_verified", code="EMAIL_NOT_VERIFIED")
        if not user.is_active:
            raise InvalidCredentials("account_disabled", persist=False)

        user.failed_login_attempts = 0
        user.locked_until = None
        user.last_login_at = now
        tokens = self._issue_session(user)
        profile = await users_service.get_or_create_profile(self.session, user.id)
        await self.session.flush()
        metrics.count_after_commit(self.session, metrics.LOGINS)
        return LoginData(**tokens.model_dump(), user=build_user_response(user, profile))

    async def _release_connection(self) -> None:
        """End the transaction before bcrypt (a quarter of a second of CPU) so that its pooled
        connection serves other requests meanwhile: otherwise a burst of logins holds the
        whole pool and every other request waits for a connection (or times out).  Nothing
        read so far is locked, and what was flushed (an expired lock cleared) must stick
        whatever the password check says, so committing here changes no outcome."""
        await self.session.commit()

    def _issue_session(self, user: User, family_id: str | None = None) -> TokenData:
        family = family_id or str(uuid.uuid4())
        refresh = self._issue_token(
            user.id,
            REFRESH,
            timedelta(days=self.settings.REFRESH_TOKEN_EXPIRE_DAYS),
            family_id=family,
        )
        access = self.services.tokens.create_access_token(user.id, user.username, session_id=family)
        return TokenData(
            access_token=access,
            refresh_token=refresh,
            expires_in=self.settings.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
        )

    async def refresh(self, refresh_token: str) -> TokenData:
        row = await repository.find_token(self.session, digest_token(refresh_token), REFRESH)
        now = utcnow()
        if row is None:
            raise InvalidRefreshToken(persist=False)
        if row.revoked_at is not None:
            raise InvalidRefreshToken(persist=False)
        if row.used_at is not None:
            # Reuse of a rotated token: assume theft, end the whole session.
            if row.family_id:
                await repository.revoke_family(self.session, row.family_id, now)
            logger.warning("refresh token reuse detected", extra={"user_id": row.user_id})
            raise InvalidRefreshToken()
        if row.expires_at <= now:
            raise InvalidRefreshToken(persist=False)
        user = await repository.get_user(self.session, row.user_id)
        if user is None or not user.is_active:
            raise InvalidRefreshToken(persist=False)
        if not await repository.consume_token(self.session, row.id, now):
            # A concurrent request rotated it first: that is reuse too.
            if row.family_id:
                await repository.revoke_family(self.session, row.family_id, now)
            raise InvalidRefreshToken()
        tokens = self._issue_session(user, family_id=row.family_id)
        await self.session.flush()
        return tokens

    async def logout(self, user: User, refresh_token: str) -> None:
        row = await repository.find_token(self.session, digest_token(refresh_token), REFRESH)
        if row is None or row.user_id != user.id:
            raise InvalidRefreshToken(persist=False)
        now = utcnow()
        if row.family_id:
            await repository.revoke_family(self.session, row.family_id, now)
        else:
            row.revoked_at = now

    # ----------------------------------------------------------------------------------
    # password reset
    # ----------------------------------------------------------------------------------
    async def request_password_reset(self, email: str) -> None:
        """Always succeeds for the caller; sends at most N links per hour per address."""
        email = email.lower()
        state = await self.services.limiter.hit(
            self.services.limiter.verification_emails, "password-reset", hashed_key(email)
        )
        user = await repository.get_by_email(self.session, email)
        if not state.allowed or user is None or not user.is_active:
            return
        hours = self.settings.PASSWORD_RESET_TOKEN_EXPIRE_HOURS
        token = self._issue_token(user.id, PASSWORD_RESET, timedelta(hours=hours))
        link = f"{self.settings.FRONTEND_URL.rstrip('/')}/reset-password?token={token}"
        queue_email(
            self.session,
            user.email,
            translate("email_reset_subject"),
            translate("email_reset_body", username=user.username, hours=hours, link=link),
        )

    async def confirm_password_reset(self, token: str, new_password: str) -> None:
        row = await self._use_one_time_token(token, PASSWORD_RESET)
        user = await repository.get_user(self.session, row.user_id)
        if user is None:
            raise DomainError("invalid_token", code="INVALID_TOKEN")
        user.hashed_password = await self.services.hasher.hash(new_password)
        user.failed_login_attempts = 0
        user.locked_until = None
        now = _invalidate_access_tokens(user)
        await repository.revoke_user_tokens(self.session, user.id, REFRESH, now)
        await repository.revoke_user_tokens(self.session, user.id, PASSWORD_RESET, now)

    async def change_password(
        self, user: User, claims: AccessClaims, current_password: str, new_password: str
    ) -> None:
        """Change the password; every other login session ends, this one survives through
        its refresh token (its access token must be refreshed)."""
        if not await self.services.hasher.verify(current_password, user.hashed_password):
            raise DomainError("invalid_current_password", code="INVALID_PASSWORD")
        user.hashed_password = await self.services.hasher.hash(new_password)
        now = _invalidate_access_tokens(user)
        await repository.revoke_user_tokens(
            self.session, user.id, REFRESH, now, keep_family=claims.session_id
        )

    async def delete_account(self, user: User, password: str) -> None:
        """Delete the account and everything it owns; files go after the commit."""
        from src.social import service as social_service
        from src.stats import service as stats_service
        from src.trips import service as trips_service

        if not await self.services.hasher.verify(password, user.hashed_password):
            raise DomainError("invalid_current_password", code="INVALID_PASSWORD", field="password")
        storage = self.services.storage
        delete_after_commit(
            storage,
            self.session,
            await users_service.photo_key(self.session, self.services, user.id),
        )
        await trips_service.delete_all_for_user(self.session, storage, user.id)
        lost_a_follower = await social_service.before_user_deleted(self.session, user.id)
        await repository.delete_user(self.session, user.id)
        for other_id in lost_a_follower:
            await stats_service.refresh_achievements(self.session, other_id)
        logger.info("account deleted", extra={"user_id": user.id})

    # ----------------------------------------------------------------------------------
    async def me(self, user: User) -> UserResponse:
        profile = await users_service.profile_for_read(self.session, user.id)
        return build_user_response(user, profile)

    async def authenticate(self, token: str) -> User:
        """The user behind an access token, or :class:`Unauthorized`."""
        return (await self.authenticate_claims(token))[0]

    async def authenticate_claims(self, token: str) -> tuple[User, AccessClaims]:
        claims = self.services.tokens.decode_access_token(token)
        if claims is None:
            raise Unauthorized()
        user = await repository.get_user(self.session, claims.user_id)
        if user is None or not user.is_active:
            raise Unauthorized()
        if user.tokens_valid_after is not None and claims.issued_at < user.tokens_valid_after:
            raise Unauthorized()
        return user, claims


def _invalidate_access_tokens(user: User) -> datetime:
    """Refuse every access token issued before now (millisecond precision, like ``iat``)."""
    now = utcnow()
    user.tokens_valid_after = now.replace(microsecond=now.microsecond // 1000 * 1000)
    return now


def build_user_response(user: User, profile: object | None) -> UserResponse:
    return UserResponse(
        user_id=user.id,
        username=user.username,
        email=user.email,
        is_verified=user.is_verified,
        profile_visibility=user.profile_visibility,
        trip_visibility=user.trip_visibility,
        created_at=user.created_at,
        photo_url=getattr(profile, "profile_photo_url", None),
        bio=getattr(profile, "bio", None),
        location=getattr(profile, "location", None),
        cycling_type=getattr(profile, "cycling_type", None),
    )


async def ensure_account(
    session: AsyncSession,
    hasher: PasswordHasher,
    *,
    username: str,
    email: str,
    password: str,
    role: str = "user",
    verified: bool = True,
    force: bool = False,
) -> tuple[User, bool]:
    """Create a verified account unless it exists (scripts and seeds); return (user, created).

    With ``force`` an existing account gets the given password, role and verification.
    """
    check_username(username)
    check_strong_password(password)
    user = await repository.get_by_username(session, username) or await repository.get_by_email(
        session, email
    )
    if user is not None:
        if force:
            user.hashed_password = await hasher.hash(password)
            user.role = role
            user.is_verified = verified
            user.is_active = True
            user.failed_login_attempts = 0
            user.locked_until = None
            await session.flush()
        return user, False
    user = User(
        username=username,
        email=email.lower(),
        hashed_password=await hasher.hash(password),
        role=role,
        is_verified=verified,
    )
    session.add(user)
    await session.flush()
    await users_service.create_profile(session, user.id)
    await session.flush()
    return user, True


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    """Exact, case-sensitive username lookup (for other domains)."""
    return await repository.get_by_username(session, username)


async def get_user_by_id(session: AsyncSession, user_id: str) -> User | None:
    return await repository.get_user(session, user_id)
