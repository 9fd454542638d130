"""HTTP routes of /auth (contract §2.2)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from src.auth.dependencies import AuthServiceDep, CurrentUser
from src.auth.schemas import (
    DeleteAccountRequest,
    LoginData,
    LoginRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    RegisterData,
    RegisterRequest,
    TokenData,
    UserResponse,
)
from src.core.i18n import translate
from src.core.responses import ERROR_RESPONSES, Envelope, MessageEnvelope

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)

TokenParam = Annotated[str, Query(min_length=1, max_length=512)]


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=MessageEnvelope[RegisterData],
    summary="Create an account",
)
async def register(body: RegisterRequest, auth: AuthServiceDep) -> Any:
    result = await auth.register(body)
    user = result.user
    data = RegisterData(
        user_id=user.id,
        username=user.username,
        email=user.email,
        is_verified=user.is_verified,
        is_active=user.is_active,
        created_at=user.created_at,
    )
    key = "registered_auto_verified" if result.auto_verified else "registered"
    return MessageEnvelope[RegisterData](data=data, message=translate(key))


@router.post("/verify-email", response_model=MessageEnvelope[None], summary="Verify an email")
async def verify_email(auth: AuthServiceDep, token: TokenParam) -> Any:
    await auth.verify_email(token)
    return MessageEnvelope[None](data=None, message=translate("email_verified"))


@router.post(
    "/resend-verification",
    response_model=MessageEnvelope[None],
    summary="Send the verification email again",
)
async def resend_verification(
    auth: AuthServiceDep, email: str = Query(min_length=3, max_length=255)
) -> Any:
    await auth.resend_verification(email)
    return MessageEnvelope[None](data=None, message=translate("verification_sent"))


@router.post("/login", response_model=Envelope[LoginData], summary="Log in")
async def login(body: LoginRequest, auth: AuthServiceDep) -> Any:
    data = await auth.login(body.identifier, body.password)
    return Envelope[LoginData](data=data)


@router.post("/refresh", response_model=Envelope[TokenData], summary="Rotate the refresh token")
async def refresh(auth: AuthServiceDep, refresh_token: TokenParam) -> Any:
    return Envelope[TokenData](data=await auth.refresh(refresh_token))


@router.post("/logout", response_model=MessageEnvelope[None], summary="Log out")
async def logout(user: CurrentUser, auth: AuthServiceDep, refresh_token: TokenParam) -> Any:
    await auth.logout(user, refresh_token)
    return MessageEnvelope[None](data=None, message=translate("logged_out"))


@router.post(
    "/password-reset/request",
    response_model=MessageEnvelope[None],
    summary="Email a password-reset link",
)
async def password_reset_request(body: PasswordResetRequest, auth: AuthServiceDep) -> Any:
    await auth.request_password_reset(body.email)
    return MessageEnvelope[None](data=None, message=translate("password_reset_requested"))


@router.post(
    "/password-reset/confirm",
    response_model=MessageEnvelope[None],
    summary="Set a new password with a reset token",
)
async def password_reset_confirm(body: PasswordResetConfirm, auth: AuthServiceDep) -> Any:
    await auth.confirm_password_reset(body.token, body.new_password)
    return MessageEnvelope[None](data=None, message=translate("password_updated"))


@router.delete(
    "/me",
    response_model=MessageEnvelope[None],
    summary="Delete the account and everything it owns (needs the current password)",
)
async def delete_me(body: DeleteAccountRequest, user: CurrentUser, auth: AuthServiceDep) -> Any:
    await auth.delete_account(user, body.password)
    return MessageEnvelope[None](data=None, message=translate("account_deleted"))


@router.get("/me", response_model=Envelope[UserResponse], summary="The current user")
async def me(user: CurrentUser, auth: AuthServiceDep) -> Any:
    return Envelope[UserResponse](data=await auth.me(user))
