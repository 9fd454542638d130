"""Annotated aliases for the caller's identity."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from src.auth.models import User
from src.auth.service import AuthService
from src.core.dependencies import AppServices, DbSession
from src.core.errors import DomainError, Forbidden, Unauthorized
from src.core.security import AccessClaims

bearer = HTTPBearer(auto_error=False, description="Access token from /auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def get_auth_service(session: DbSession, services: AppServices) -> AuthService:
    return AuthService(session, services)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_authentication(
    credentials: Credentials, auth: AuthServiceDep
) -> tuple[User, AccessClaims]:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    return await auth.authenticate_claims(credentials.credentials)


Authentication = Annotated[tuple[User, AccessClaims], Depends(get_authentication)]


async def get_current_user(authentication: Authentication) -> User:
    return authentication[0]


async def get_current_claims(authentication: Authentication) -> AccessClaims:
    return authentication[1]


async def get_optional_user(credentials: Credentials, auth: AuthServiceDep) -> User | None:
    """Public endpoints that personalise: a missing or bad token means anonymous."""
    if credentials is None:
        return None
    try:
        return await auth.authenticate(credentials.credentials)
    except DomainError:
        return None


async def get_admin_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    if not user.is_admin:
        raise Forbidden("admin_required")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
CurrentClaims = Annotated[AccessClaims, Depends(get_current_claims)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]
