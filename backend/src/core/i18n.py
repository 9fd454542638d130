"""User-facing messages in Spanish (default) and English.

The language of a request comes from its ``Accept-Language`` header and lives in a context
variable for the duration of the request, so services can raise errors with message keys and
the error handler renders them in the caller's language.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Literal

Language = Literal["es", "en"]
DEFAULT_LANGUAGE: Language = "es"

_language: ContextVar[Language] = ContextVar("language", default=DEFAULT_LANGUAGE)

MESSAGES: dict[str, dict[Language, str]] = {
    # --- generic ---------------------------------------------------------------------------
    "internal_error": {
        "es": "Ha ocurrido un error interno. Por favor intenta de nuevo más tarde.",
        "en": "An internal error occurred. Please try again later.",
    },
    "validation_error": {
        "es": "Error de validación en el campo '{field}': {detail}",
        "en": "Validation error in field '{field}': {detail}",
    },
    "validation_error_no_field": {
        "es": "Error de validación: {detail}",
        "en": "Validation error: {detail}",
    },
    "unauthorized": {
        "es": "No autenticado. Inicia sesión para continuar.",
        "en": "Not authenticated. Please log in.",
    },
    "forbidden": {"es": "No tienes permiso para realizar esta acción", "en": "Permission denied"},
    "admin_required": {
        "es": "Acceso denegado. Se requiere rol de administrador.",
        "en": "Access denied. Administrator role required.",
    },
    "not_found": {"es": "Recurso no encontrado", "en": "Not found"},
    "http_404": {"es": "No encontrado", "en": "Not Found"},
    "http_405": {"es": "Método no permitido", "en": "Method Not Allowed"},
    "http_413": {"es": "La petición es demasiado grande", "en": "Request entity too large"},
    "http_415": {"es": "Tipo de contenido no soportado", "en": "Unsupported media type"},
    "rate_limited": {
        "es": "Demasiadas peticiones. Intenta de nuevo en {minutes} minutos.",
        "en": "Too many requests. Try again in {minutes} minutes.",
    },
    "too_many_attempts": {
        "es": "Demasiados intentos. Intenta de nuevo en {minutes} minutos.",
        "en": "Too many attempts. Try again in {minutes} minutes.",
    },
    "invalid_host": {"es": "Host no permitido", "en": "Host not allowed"},
    "nul_character": {
        "es": "la petición contiene el carácter nulo (U+0000)",
        "en": "the request contains the NUL character (U+0000)",
    },
    "service_unavailable": {
        "es": "El servicio no está disponible en este momento",
        "en": "The service is currently unavailable",
    },
    # --- system ----------------------------------------------------------------------------
    "api_name": {"es": "ContraVento API", "en": "ContraVento API"},
    # --- auth ------------------------------------------------------------------------------
    "registered": {
        "es": "Usuario registrado. Revisa tu email para verificar tu cuenta.",
        "en": "User registered. Check your email to verify your account.",
    },
    "registered_auto_verified": {
        "es": "Usuario registrado y verificado automáticamente (entorno de testing).",
        "en": "User registered and verified automatically (testing environment).",
    },
    "username_taken": {
        "es": "El nombre de usuario '{username}' ya está en uso",
        "en": "The username '{username}' is already taken",
    },
    "email_taken": {
        "es": "El email ya está registrado",
        "en": "This email is already registered",
    },
    "email_verified": {
        "es": "Tu cuenta ha sido verificada correctamente",
        "en": "Your account has been verified",
    },
    "verification_sent": {
        "es": "Email de verificación enviado",
        "en": "Verification email sent",
    },
    "invalid_token": {"es": "El token no es válido", "en": "The token is not valid"},
    "token_expired": {"es": "El token ha expirado", "en": "The token has expired"},
    "invalid_credentials": {
        "es": "Email/usuario o contraseña incorrectos",
        "en": "Incorrect email/username or password",
    },
    "account_disabled": {
        "es": "Tu cuenta ha sido desactivada",
        "en": "Your account has been deactivated",
    },
    "account_locked": {
        "es": "Cuenta bloqueada temporalmente por demasiados intentos fallidos. "
        "Intenta de nuevo en {minutes} minutos.",
        "en": "Account temporarily locked after too many failed attempts. "
        "Try again in {minutes} minutes.",
    },
    "email_not_verified": {
        "es": "Debes verificar tu email antes de iniciar sesión",
        "en": "You must verify your email before logging in",
    },
    "invalid_refresh_token": {
        "es": "Token de actualización inválido o expirado",
        "en": "Invalid or expired refresh token",
    },
    "logged_out": {"es": "Sesión cerrada correctamente", "en": "Logged out"},
    "password_reset_requested": {
        "es": "Si el email existe, recibirás un enlace de restablecimiento",
        "en": "If the email exists, you will receive a reset link",
    },
    "password_updated": {
        "es": "Contraseña actualizada correctamente",
        "en": "Password updated",
    },
    "login_identifier_required": {
        "es": "Debes indicar tu nombre de usuario o email",
        "en": "Username or email is required",
    },
    # --- password / username rules (pydantic custom error types) -----------------------------
    "password_too_short": {
        "es": "La contraseña debe tener al menos 8 caracteres",
        "en": "The password must be at least 8 characters long",
    },
    "password_too_long": {
        "es": "La contraseña no puede exceder 72 bytes",
        "en": "The password cannot exceed 72 bytes",
    },
    "password_no_upper": {
        "es": "La contraseña debe contener al menos una letra mayúscula",
        "en": "The password must contain at least one uppercase letter",
    },
    "password_no_lower": {
        "es": "La contraseña debe contener al menos una letra minúscula",
        "en": "The password must contain at least one lowercase letter",
    },
    "password_no_digit": {
        "es": "La contraseña debe contener al menos un número",
        "en": "The password must contain at least one number",
    },
    "password_no_special": {
        "es": "La contraseña debe contener al menos un carácter especial",
        "en": "The password must contain at least one special character",
    },
    "username_length": {
        "es": "El nombre de usuario debe tener entre 3 y 30 caracteres",
        "en": "The username must be between 3 and 30 characters long",
    },
    "username_chars": {
        "es": "El nombre de usuario solo puede contener caracteres alfanuméricos y guiones bajos",
        "en": "The username may only contain letters, digits and underscores",
    },
    # --- users and social ------------------------------------------------------------------
    "user_not_found": {
        "es": "El usuario '{username}' no existe",
        "en": "The user '{username}' does not exist",
    },
    "cannot_follow_self": {
        "es": "No puedes seguirte a ti mismo",
        "en": "You cannot follow yourself",
    },
    "already_following": {"es": "Ya sigues a {username}", "en": "You already follow {username}"},
    "not_following": {"es": "No sigues a {username}", "en": "You do not follow {username}"},
    "now_following": {"es": "Ahora sigues a {username}", "en": "You now follow {username}"},
    "unfollowed": {
        "es": "Has dejado de seguir a {username}",
        "en": "You no longer follow {username}",
    },
    "profile_not_yours": {
        "es": "No tienes permiso para modificar este perfil",
        "en": "You are not allowed to change this profile",
    },
    "profile_private": {"es": "Este perfil es privado", "en": "This profile is private"},
    "profile_updated": {"es": "Perfil actualizado correctamente", "en": "Profile updated"},
    "cycling_type_invalid": {
        "es": "El tipo de ciclismo debe ser uno de: {codes}",
        "en": "The cycling type must be one of: {codes}",
    },
    "photo_updated": {
        "es": "Foto de perfil actualizada correctamente",
        "en": "Profile photo updated",
    },
    "photo_deleted": {
        "es": "Foto de perfil eliminada correctamente",
        "en": "Profile photo removed",
    },
    "privacy_updated": {
        "es": "Configuración de privacidad actualizada",
        "en": "Privacy settings updated",
    },
    "password_changed": {
        "es": "Contraseña cambiada correctamente",
        "en": "Password changed",
    },
    "invalid_current_password": {
        "es": "La contraseña actual es incorrecta",
        "en": "The current password is incorrect",
    },
    "account_deleted": {
        "es": "Tu cuenta y todos sus datos han sido eliminados",
        "en": "Your account and all its data have been deleted",
    },
    # --- travel diary: trips, photos, tags, cycling types ------------------------------------
    "trip_not_found": {"es": "Viaje no encontrado", "en": "Trip not found"},
    "trip_draft_forbidden": {
        "es": "No tienes permiso para ver este viaje en borrador",
        "en": "You are not allowed to view this draft trip",
    },
    "trip_private": {
        "es": "Este viaje es privado y solo el propietario puede verlo",
        "en": "This trip is private and only its owner can view it",
    },
    "trip_login_required": {
        "es": "Debes iniciar sesión para ver este viaje",
        "en": "You must log in to view this trip",
    },
    "trip_followers_only": {
        "es": "Este viaje solo es visible para seguidores del usuario",
        "en": "This trip is only visible to the author's followers",
    },
    "trip_edit_forbidden": {
        "es": "No tienes permiso para editar este viaje",
        "en": "You are not allowed to edit this trip",
    },
    "trip_delete_forbidden": {
        "es": "No tienes permiso para eliminar este viaje",
        "en": "You are not allowed to delete this trip",
    },
    "trip_publish_forbidden": {
        "es": "No tienes permiso para publicar este viaje",
        "en": "You are not allowed to publish this trip",
    },
    "trip_deleted": {"es": "Viaje eliminado correctamente", "en": "Trip deleted"},
    "publish_title_required": {
        "es": "El título es requerido para publicar el viaje",
        "en": "A title is required to publish the trip",
    },
    "publish_description_short": {
        "es": "La descripción debe tener al menos {min_length} caracteres para publicar el viaje",
        "en": "The description must be at least {min_length} characters long to publish the trip",
    },
    "publish_start_date_required": {
        "es": "La fecha de inicio es requerida para publicar el viaje",
        "en": "A start date is required to publish the trip",
    },
    "trips_user_not_found": {
        "es": "Usuario '{username}' no encontrado",
        "en": "User '{username}' not found",
    },
    "trip_title_blank": {"es": "El título no puede estar vacío", "en": "The title cannot be empty"},
    "trip_description_blank": {
        "es": "La descripción no puede estar vacía",
        "en": "The description cannot be empty",
    },
    "location_name_blank": {
        "es": "El nombre del lugar no puede estar vacío",
        "en": "The place name cannot be empty",
    },
    "coordinates_together": {
        "es": "La latitud y la longitud deben indicarse juntas",
        "en": "Latitude and longitude must be given together",
    },
    "start_date_future": {
        "es": "La fecha de inicio no puede ser futura",
        "en": "The start date cannot be in the future",
    },
    "end_date_before_start": {
        "es": "La fecha de fin debe ser posterior o igual a la fecha de inicio",
        "en": "The end date must be on or after the start date",
    },
    "tag_blank": {"es": "Las etiquetas no pueden estar vacías", "en": "Tags cannot be empty"},
    "tag_too_long": {
        "es": "La etiqueta '{tag}' excede {max_length} caracteres",
        "en": "The tag '{tag}' is longer than {max_length} characters",
    },
    "trip_photo_upload_forbidden": {
        "es": "No tienes permiso para subir fotos a este viaje",
        "en": "You are not allowed to add photos to this trip",
    },
    "trip_photo_delete_forbidden": {
        "es": "No tienes permiso para eliminar fotos de este viaje",
        "en": "You are not allowed to delete photos of this trip",
    },
    "trip_photo_reorder_forbidden": {
        "es": "No tienes permiso para reordenar fotos de este viaje",
        "en": "You are not allowed to reorder the photos of this trip",
    },
    "trip_photo_too_large": {
        "es": "La foto excede el tamaño máximo de {mb}MB",
        "en": "The photo is larger than the {mb}MB maximum",
    },
    "trip_photo_limit": {
        "es": "Has alcanzado el límite de {limit} fotos por viaje",
        "en": "You have reached the limit of {limit} photos per trip",
    },
    "trip_photo_format": {
        "es": "Formato de archivo no soportado. Usa JPG, PNG o WebP",
        "en": "Unsupported file format. Use JPG, PNG or WebP",
    },
    "trip_photo_not_found": {"es": "Foto no encontrada", "en": "Photo not found"},
    "trip_photo_not_in_trip": {
        "es": "La foto no pertenece a este viaje",
        "en": "The photo does not belong to this trip",
    },
    "trip_photo_deleted": {"es": "Foto eliminada correctamente", "en": "Photo deleted"},
    "trip_photos_reordered": {"es": "Fotos reordenadas correctamente", "en": "Photos reordered"},
    "trip_photo_order_count": {
        "es": "Cantidad inválida de fotos. El viaje tiene {expected} fotos pero se "
        "proporcionaron {given}",
        "en": "Wrong number of photos. The trip has {expected} photos but {given} were given",
    },
    "trip_photo_order_ids": {
        "es": "ID de foto inválido: la lista contiene fotos que no pertenecen a este viaje",
        "en": "Invalid photo id: the list contains photos that do not belong to this trip",
    },
    "cycling_type_not_found": {
        "es": "No se encontró el tipo de ciclismo '{value}'",
        "en": "Cycling type '{value}' not found",
    },
    "cycling_type_exists": {
        "es": "Ya existe un tipo de ciclismo con el código '{value}'",
        "en": "A cycling type with the code '{value}' already exists",
    },
    "cycling_type_created": {
        "es": "Tipo de ciclismo creado correctamente",
        "en": "Cycling type created",
    },
    "cycling_type_updated": {
        "es": "Tipo de ciclismo actualizado correctamente",
        "en": "Cycling type updated",
    },
    "cycling_code_format": {
        "es": "El código solo puede contener minúsculas, números, guiones y guiones bajos, "
        "y no puede empezar ni terminar por guion o guion bajo",
        "en": "The code may only contain lowercase letters, digits, hyphens and underscores, "
        "and cannot start or end with a hyphen or underscore",
    },
    "cycling_name_length": {
        "es": "El nombre debe tener entre 2 y 100 caracteres",
        "en": "The name must be between 2 and 100 characters long",
    },
    # --- likes, comments, points of interest ---------------------------------------------
    "like_not_published": {
        "es": "Solo puedes dar like a viajes publicados",
        "en": "You can only like published trips",
    },
    "like_own_trip": {
        "es": "No puedes dar like a tu propio viaje",
        "en": "You cannot like your own trip",
    },
    "like_already": {
        "es": "Ya has dado like a este viaje",
        "en": "You already like this trip",
    },
    "like_missing": {
        "es": "No has dado like a este viaje",
        "en": "You have not liked this trip",
    },
    "like_removed": {"es": "Like eliminado correctamente", "en": "Like removed"},
    "comment_trip_not_found": {"es": "El viaje no existe", "en": "The trip does not exist"},
    "comment_not_published": {
        "es": "Solo puedes comentar viajes publicados",
        "en": "You can only comment on published trips",
    },
    "comment_rate_limited": {
        "es": "Has alcanzado el límite de {limit} comentarios por hora. "
        "Intenta de nuevo en {minutes} minutos.",
        "en": "You have reached the limit of {limit} comments per hour. "
        "Try again in {minutes} minutes.",
    },
    "comment_not_found": {"es": "El comentario no existe", "en": "The comment does not exist"},
    "comment_edit_forbidden": {
        "es": "Solo puedes editar tus propios comentarios",
        "en": "You can only edit your own comments",
    },
    "comment_delete_forbidden": {
        "es": "No tienes permiso para eliminar este comentario",
        "en": "You are not allowed to delete this comment",
    },
    "comment_blank": {
        "es": "El comentario no puede estar vacío",
        "en": "The comment cannot be empty",
    },
    "poi_not_found": {"es": "Punto de interés no encontrado", "en": "Point of interest not found"},
    "poi_forbidden": {
        "es": "Solo el autor del viaje puede gestionar sus POIs",
        "en": "Only the trip's author can manage its points of interest",
    },
    "poi_limit": {
        "es": "Máximo {limit} POIs permitidos por viaje",
        "en": "At most {limit} points of interest per trip",
    },
    "poi_reorder_mismatch": {
        "es": "La lista de POIs no coincide con los POIs del viaje. "
        "faltan: {missing}, sobran: {extra}",
        "en": "The list does not match the trip's points of interest. "
        "missing: {missing}, unexpected: {extra}",
    },
    "poi_reorder_duplicates": {
        "es": "La lista de POIs contiene identificadores repetidos",
        "en": "The list contains repeated point of interest ids",
    },
    "poi_name_blank": {"es": "El nombre no puede estar vacío", "en": "The name cannot be empty"},
    "poi_field_not_null": {
        "es": "Este campo no puede ser nulo",
        "en": "This field cannot be null",
    },
    "poi_photo_url_invalid": {
        "es": "La URL de la foto debe ser una ruta de /storage/",
        "en": "The photo URL must be a /storage/ path",
    },
    # --- uploads ---------------------------------------------------------------------------
    "image_empty": {"es": "El archivo está vacío", "en": "The file is empty"},
    "image_format": {
        "es": "Solo se permiten archivos JPEG, PNG y WebP",
        "en": "Only JPEG, PNG and WebP files are allowed",
    },
    "image_invalid": {
        "es": "El archivo no es una imagen válida",
        "en": "The file is not a valid image",
    },
    "image_dimensions": {
        "es": "La imagen es demasiado grande (máximo {max_side} píxeles por lado)",
        "en": "The image is too large (at most {max_side} pixels per side)",
    },
    "file_too_large": {
        "es": "El archivo no puede superar {mb}MB",
        "en": "The file cannot be larger than {mb}MB",
    },
    # --- email bodies ----------------------------------------------------------------------
    "email_verify_subject": {
        "es": "Verifica tu cuenta en ContraVento",
        "en": "Verify your ContraVento account",
    },
    "email_verify_body": {
        "es": "Hola {username},\n\nBienvenido a ContraVento. Para verificar tu cuenta abre este "
        "enlace (caduca en {hours} horas):\n\n{link}\n\nSi no te registraste, ignora este "
        "mensaje.\n",
        "en": "Hi {username},\n\nWelcome to ContraVento. To verify your account open this link "
        "(it expires in {hours} hours):\n\n{link}\n\nIf you did not sign up, ignore this "
        "message.\n",
    },
    "email_reset_subject": {
        "es": "Restablece tu contraseña de ContraVento",
        "en": "Reset your ContraVento password",
    },
    "email_reset_body": {
        "es": "Hola {username},\n\nPara elegir una nueva contraseña abre este enlace (caduca en "
        "{hours} hora(s)):\n\n{link}\n\nSi no lo pediste, ignora este mensaje: tu contraseña "
        "no cambiará.\n",
        "en": "Hi {username},\n\nTo choose a new password open this link (it expires in "
        "{hours} hour(s)):\n\n{link}\n\nIf you did not ask for it, ignore this message: your "
        "password will not change.\n",
    },
}

# Spanish renderings of the most common pydantic error types.  English uses pydantic's own.
PYDANTIC_ES: dict[str, str] = {
    "missing": "Campo obligatorio",
    "string_too_short": "Debe tener al menos {min_length} caracteres",
    "string_too_long": "Debe tener como máximo {max_length} caracteres",
    "string_type": "Debe ser un texto",
    "string_pattern_mismatch": "El formato no es válido",
    "int_parsing": "Debe ser un número entero",
    "int_type": "Debe ser un número entero",
    "float_parsing": "Debe ser un número",
    "float_type": "Debe ser un número",
    "bool_parsing": "Debe ser verdadero o falso",
    "bool_type": "Debe ser verdadero o falso",
    "greater_than": "Debe ser mayor que {gt}",
    "greater_than_equal": "Debe ser mayor o igual que {ge}",
    "less_than": "Debe ser menor que {lt}",
    "less_than_equal": "Debe ser menor o igual que {le}",
    "literal_error": "Debe ser uno de: {expected}",
    "enum": "Debe ser uno de: {expected}",
    "date_parsing": "Fecha no válida (formato AAAA-MM-DD)",
    "date_from_datetime_parsing": "Fecha no válida (formato AAAA-MM-DD)",
    "datetime_parsing": "Fecha y hora no válidas",
    "json_invalid": "El cuerpo de la petición no es JSON válido",
    "model_attributes_type": "Debe ser un objeto",
    "dict_type": "Debe ser un objeto",
    "list_type": "Debe ser una lista",
    "too_long": "Debe tener como máximo {max_length} elementos",
    "too_short": "Debe tener al menos {min_length} elementos",
    "uuid_parsing": "Identificador no válido",
    "value_error": "{error}",
    "extra_forbidden": "Campo no permitido",
}


def parse_accept_language(header: str | None) -> Language:
    """Pick ``en`` or ``es`` from an Accept-Language header (quality values honoured)."""
    if not header:
        return DEFAULT_LANGUAGE
    best: tuple[float, Language] | None = None
    for part in header.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("es", "en") and (best is None or quality > best[0]):
            best = (quality, primary)  # type: ignore[assignment]
    return best[1] if best else DEFAULT_LANGUAGE


def set_language(language: Language) -> None:
    _language.set(language)


def get_language() -> Language:
    return _language.get()


def translate(key: str, language: Language | None = None, **params: Any) -> str:
    entry = MESSAGES.get(key)
    lang = language or get_language()
    if entry is None:
        return key
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def translate_pydantic(error_type: str, english: str, ctx: dict[str, Any] | None) -> str:
    """Translate one pydantic error into the request language."""
    if error_type in MESSAGES:
        return translate(error_type, **(ctx or {}))
    if get_language() == "en":
        return english
    template = PYDANTIC_ES.get(error_type)
    if template is None:
        return english
    values = {k: v for k, v in (ctx or {}).items()}
    if error_type == "value_error":
        values.setdefault("error", english.removeprefix("Value error, "))
        return str(values["error"])
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return english
