import { useState } from 'react';
import { gpxApi } from '../api/endpoints';
import { useI18n } from '../i18n/core';
import { saveBlob } from '../lib/download';
import { errorText } from '../lib/errors';
import { FormError } from './ui';

/** A safe file name from the trip title, for when the server gives none. */
function fallbackName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${base || 'track'}.gpx`;
}

/**
 * Downloads the trip's GPX through the API client (Bearer token and refresh), so the owner
 * of a draft or private trip gets the file instead of a 403 from a bare link.
 */
export function GpxDownloadButton({ gpxFileId, title }: { gpxFileId: string; title: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, filename } = await gpxApi.download(gpxFileId);
      saveBlob(blob, filename ?? fallbackName(title));
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="gpx-download">
      <button type="button" className="btn btn--secondary" onClick={download} disabled={busy} aria-busy={busy}>
        {busy ? t('trip.downloadingGpx') : t('trip.downloadGpx')}
      </button>
      <FormError message={error} />
    </div>
  );
}

export default GpxDownloadButton;
