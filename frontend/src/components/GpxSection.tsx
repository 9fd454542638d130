import { useEffect, useId, useState } from 'react';
import { gpxApi } from '../api/endpoints';
import type { GpxFileMetadata, GpxProcessingStatus } from '../api/types';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';
import { useToast } from './toast';
import { FormError, ProgressBar, Spinner } from './ui';

interface GpxSummary {
  gpx_file_id: string;
  processing_status: GpxProcessingStatus;
  distance_km: number | null;
  elevation_gain: number | null;
  total_points?: number | null;
  error_message?: string | null;
}

/** Upload (with progress), processing status and removal of the trip's GPX track. */
export function GpxSection({ tripId, initial, onChange }: { tripId: string; initial: GpxFileMetadata | null; onChange?: () => void }) {
  const { t, formatNumber } = useI18n();
  const notify = useToast();
  const inputId = useId();
  const [gpx, setGpx] = useState<GpxSummary | null>(initial);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const processing = gpx && (gpx.processing_status === 'processing' || gpx.processing_status === 'pending');
  const gpxId = gpx?.gpx_file_id;
  useEffect(() => {
    if (!processing || !gpxId) return;
    const timer = window.setInterval(async () => {
      try {
        const status = await gpxApi.status(gpxId);
        if (status.processing_status === 'completed' || status.processing_status === 'failed') {
          setGpx((g) => (g ? { ...g, ...status } : g));
          onChange?.();
        }
      } catch {
        // keep polling; a transient error is not the end of processing
      }
    }, 2500);
    return () => window.clearInterval(timer);
  }, [processing, gpxId, onChange]);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    if (!file.name.toLowerCase().endsWith('.gpx')) {
      setError(t('validation.gpxFile'));
      return;
    }
    if (file.size > 10 * 1024 * 1024) {
      setError(t('validation.fileSize', { mb: 10 }));
      return;
    }
    setProgress(0);
    try {
      const { data } = await gpxApi.upload(tripId, file, setProgress);
      setGpx(data);
      if (data.processing_status === 'completed') onChange?.();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setProgress(null);
    }
  };

  const remove = async () => {
    if (!window.confirm(t('common.confirmDelete'))) return;
    try {
      await gpxApi.remove(tripId);
      setGpx(null);
      onChange?.();
    } catch (err) {
      notify(errorText(err, t), 'error');
    }
  };

  return (
    <div className="gpx-section">
      {gpx ? (
        <div className="gpx-card">
          {processing ? (
            <p>
              <Spinner /> {t('gpx.processing')}
            </p>
          ) : gpx.processing_status === 'failed' ? (
            <p className="field__error">{gpx.error_message ?? t('trip.gpxFailed')}</p>
          ) : (
            <p>
              <strong>{t('gpx.ready')}</strong> · {t('common.km', { value: formatNumber(gpx.distance_km, 1) })}
              {gpx.elevation_gain != null && <> · +{t('common.m', { value: formatNumber(gpx.elevation_gain, 0) })}</>}
              {gpx.total_points != null && <> · {t('gpx.points', { count: gpx.total_points })}</>}
            </p>
          )}
          <p className="hint">{t('gpx.replaceHint')}</p>
          <button type="button" className="btn btn--danger-ghost btn--small" onClick={remove}>
            {t('gpx.remove')}
          </button>
        </div>
      ) : (
        <>
          <p className="field__help">{t('gpx.help')}</p>
          <div className="upload-button">
            <input
              id={inputId}
              type="file"
              accept=".gpx,application/gpx+xml"
              className="visually-hidden-input"
              disabled={progress !== null}
              onChange={(e) => {
                void upload(e.target.files?.[0]);
                e.target.value = '';
              }}
              data-testid="gpx-input"
            />
            <label htmlFor={inputId} className="btn btn--secondary">
              {t('gpx.upload')}
            </label>
          </div>
          {progress !== null && <ProgressBar value={progress} label={t('common.progress')} />}
        </>
      )}
      <FormError message={error} />
    </div>
  );
}
