"""User-facing messages of the GPX domain (Spanish by default, English on request).

They are registered into the shared catalogue of :mod:`src.core.i18n` when this module is
imported (the GPX service and router import it), so :func:`~src.core.i18n.translate` and
the error handler render them like every other message.
"""

from __future__ import annotations

from src.core.i18n import MESSAGES, Language

GPX_MESSAGES: dict[str, dict[Language, str]] = {
    # --- lookups ---------------------------------------------------------------------------
    "gpx_not_found_for_trip": {
        "es": "No se encontró archivo GPX para este viaje",
        "en": "No GPX file found for this trip",
    },
    "gpx_not_found": {"es": "Archivo GPX no encontrado", "en": "GPX file not found"},
    "gpx_not_processed": {
        "es": "Archivo GPX aún no procesado. Estado: {status}",
        "en": "The GPX file has not been processed yet. Status: {status}",
    },
    "gpx_original_missing": {
        "es": "El archivo GPX original no está disponible",
        "en": "The original GPX file is not available",
    },
    # --- uploads ---------------------------------------------------------------------------
    "gpx_file_type": {
        "es": "Solo se permiten archivos .gpx",
        "en": "Only .gpx files are allowed",
    },
    "gpx_file_type_received": {
        "es": "Formato no válido. Solo se aceptan archivos .gpx (recibido: {extension})",
        "en": "Invalid format. Only .gpx files are accepted (received: {extension})",
    },
    "gpx_content_type": {
        "es": "Tipo de contenido no válido para un archivo GPX: {content_type}",
        "en": "Invalid content type for a GPX file: {content_type}",
    },
    "gpx_file_too_large": {
        "es": "El archivo GPX no puede superar {mb}MB",
        "en": "The GPX file cannot be larger than {mb}MB",
    },
    "gpx_missing_file": {
        "es": "No se ha enviado ningún archivo GPX",
        "en": "No GPX file was sent",
    },
    "gpx_empty_file": {
        "es": "El archivo está vacío o no se pudo leer",
        "en": "The file is empty or could not be read",
    },
    "trip_already_has_gpx": {
        "es": "Este viaje ya tiene un archivo GPX. Elimínalo antes de subir otro",
        "en": "This trip already has a GPX file. Delete it before uploading another one",
    },
    "gpx_processing_error": {
        "es": "Error al procesar archivo GPX: {detail}",
        "en": "Error processing the GPX file: {detail}",
    },
    "gpx_job_gave_up": {
        "es": "El procesamiento del archivo GPX falló {attempts} veces; súbelo de nuevo",
        "en": "Processing the GPX file failed {attempts} times; please upload it again",
    },
    # --- why a file was refused -------------------------------------------------------------
    "gpx_dtd_forbidden": {
        "es": "el archivo declara un DTD o entidades XML, que no se permiten",
        "en": "the file declares a DTD or XML entities, which are not allowed",
    },
    "gpx_malformed": {
        "es": "el archivo no es un XML válido ({detail}, línea {line})",
        "en": "the file is not valid XML ({detail}, line {line})",
    },
    "gpx_not_gpx": {
        "es": "el archivo no es un GPX (el elemento raíz debe ser <gpx>)",
        "en": "the file is not a GPX file (the root element must be <gpx>)",
    },
    "gpx_no_points": {
        "es": "El archivo GPX no contiene puntos de track",
        "en": "The GPX file contains no track points",
    },
    "gpx_bad_coordinates": {
        "es": "hay puntos con coordenadas no válidas",
        "en": "some points have invalid coordinates",
    },
    "gpx_bad_elevation": {
        "es": "hay puntos con una elevación no válida",
        "en": "some points have an invalid elevation",
    },
    "gpx_elevation_anomaly": {
        "es": "Elevación anómala detectada: {value} m (rango válido: {low} a {high} m)",
        "en": "Anomalous elevation detected: {value} m (valid range: {low} to {high} m)",
    },
    "gpx_too_deep": {
        "es": "el XML está anidado demasiado profundamente (máximo {limit} niveles)",
        "en": "the XML is nested too deeply (at most {limit} levels)",
    },
    "gpx_too_many_points": {
        "es": "el archivo tiene demasiados puntos (máximo {limit})",
        "en": "the file has too many points (at most {limit})",
    },
    "gpx_too_large": {
        "es": "el archivo supera {mb}MB",
        "en": "the file is larger than {mb}MB",
    },
    # --- wizard ----------------------------------------------------------------------------
    "gpx_new_route": {"es": "Nueva Ruta", "en": "New Route"},
    "wizard_description_short": {
        "es": "La descripción debe tener al menos {min_length} caracteres",
        "en": "The description must be at least {min_length} characters long",
    },
    # --- privacy zones ---------------------------------------------------------------------
    "privacy_zones_updated": {
        "es": "Zonas de privacidad actualizadas",
        "en": "Privacy zones updated",
    },
}

MESSAGES.update(GPX_MESSAGES)
