import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { mediaUrl } from '../api';
import { tripsApi } from '../api/endpoints';
import { photoId, photoThumb, type TripPhoto } from '../api/types';
import { config } from '../config';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';
import { useToast } from './toast';
import { ProgressBar } from './ui';

const TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_BYTES = 10 * 1024 * 1024;

interface Upload {
  key: string;
  name: string;
  preview: string;
  progress: number;
  error?: string;
}

/**
 * Trip photos: multi-file upload with a progress bar per file, delete, and reorder by
 * drag and drop or with the arrow buttons (keyboard).  Uploads run one after another so the
 * backend's 6-photo limit is checked in order.
 */
export function PhotoManager({ tripId, initial, onChange }: { tripId: string; initial: TripPhoto[]; onChange?: (photos: TripPhoto[]) => void }) {
  const { t } = useI18n();
  const notify = useToast();
  const inputId = useId();
  const [photos, setPhotos] = useState<TripPhoto[]>(() => [...initial].sort((a, b) => a.order - b.order));
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const queue = useRef(Promise.resolve());
  const photosRef = useRef(photos);
  const onChangeRef = useRef(onChange);
  const uploadsRef = useRef(uploads);
  useEffect(() => {
    photosRef.current = photos;
    onChangeRef.current = onChange;
    uploadsRef.current = uploads;
  });
  // Free the local previews when leaving the page.
  useEffect(() => () => uploadsRef.current.forEach((u) => URL.revokeObjectURL(u.preview)), []);

  const commit = (next: TripPhoto[]) => {
    photosRef.current = next;
    setPhotos(next);
    onChangeRef.current?.(next);
  };

  const room = config.maxTripPhotos - photos.length - uploads.filter((u) => !u.error).length;

  const onFiles = (files: FileList | null) => {
    if (!files) return;
    const accepted: File[] = [];
    for (const file of Array.from(files)) {
      if (!TYPES.includes(file.type)) notify(t('photos.failed', { name: file.name, error: t('validation.fileType') }), 'error');
      else if (file.size > MAX_BYTES) notify(t('photos.failed', { name: file.name, error: t('validation.fileSize', { mb: 10 }) }), 'error');
      else if (accepted.length >= room) notify(t('photos.limit', { max: config.maxTripPhotos }), 'error');
      else accepted.push(file);
    }
    for (const file of accepted) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      const preview = URL.createObjectURL(file);
      setUploads((list) => [...list, { key, name: file.name, preview, progress: 0 }]);
      queue.current = queue.current.then(async () => {
        try {
          const result = await tripsApi.uploadPhoto(tripId, file, (fraction) =>
            setUploads((list) => list.map((u) => (u.key === key ? { ...u, progress: fraction } : u))),
          );
          const photo: TripPhoto = {
            id: photoId(result),
            photo_url: result.photo_url,
            thumbnail_url: result.thumbnail_url ?? result.thumb_url ?? null,
            caption: null,
            order: result.order,
            width: result.width,
            height: result.height,
          };
          commit([...photosRef.current, photo]);
          setUploads((list) => list.filter((u) => u.key !== key));
          URL.revokeObjectURL(preview);
        } catch (error) {
          setUploads((list) => list.map((u) => (u.key === key ? { ...u, error: errorText(error, t) } : u)));
        }
      });
    }
  };

  const remove = async (photo: TripPhoto) => {
    if (!window.confirm(t('photos.deleteConfirm'))) return;
    try {
      await tripsApi.deletePhoto(tripId, photoId(photo));
      commit(photosRef.current.filter((p) => photoId(p) !== photoId(photo)));
    } catch (error) {
      notify(errorText(error, t), 'error');
    }
  };

  const move = async (from: number, to: number) => {
    if (to < 0 || to >= photos.length || from === to) return;
    const previous = photos;
    const next = [...photos];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    const ordered = next.map((p, i) => ({ ...p, order: i }));
    commit(ordered);
    try {
      await tripsApi.reorderPhotos(tripId, ordered.map(photoId));
      setAnnouncement(`${t('photos.reordered')} ${t('trip.photoOf', { n: to + 1, total: next.length })}`);
    } catch (error) {
      commit(previous);
      notify(errorText(error, t), 'error');
    }
  };

  const onDrop = (event: DragEvent, index: number) => {
    event.preventDefault();
    if (dragging !== null) void move(dragging, index);
    setDragging(null);
  };

  return (
    <div className="photo-manager">
      <p className="field__help">{t('photos.help', { max: config.maxTripPhotos })}</p>
      {photos.length === 0 && uploads.length === 0 && <p className="hint">{t('photos.empty')}</p>}
      <ul className="photo-grid" data-testid="photo-grid">
        {photos.map((photo, index) => (
          <li
            key={photoId(photo)}
            className={`photo-tile${dragging === index ? ' photo-tile--dragging' : ''}`}
            draggable
            onDragStart={(e) => {
              setDragging(index);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(index));
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => onDrop(e, index)}
            onDragEnd={() => setDragging(null)}
            aria-label={t('photos.dragHandle', { n: index + 1 })}
          >
            <img src={mediaUrl(photoThumb(photo)) ?? ''} alt={t('trip.photoOf', { n: index + 1, total: photos.length })} />
            <div className="photo-tile__bar">
              <button type="button" className="icon-btn" onClick={() => move(index, index - 1)} disabled={index === 0} aria-label={`${t('common.moveUp')} (${index + 1})`}>
                ←
              </button>
              <button
                type="button"
                className="icon-btn"
                onClick={() => move(index, index + 1)}
                disabled={index === photos.length - 1}
                aria-label={`${t('common.moveDown')} (${index + 1})`}
              >
                →
              </button>
              <button type="button" className="icon-btn icon-btn--danger" onClick={() => remove(photo)} aria-label={`${t('common.delete')} (${index + 1})`}>
                ✕
              </button>
            </div>
          </li>
        ))}
        {uploads.map((upload) => (
          <li key={upload.key} className={`photo-tile photo-tile--uploading${upload.error ? ' photo-tile--error' : ''}`}>
            <img src={upload.preview} alt="" />
            <div className="photo-tile__progress">
              {upload.error ? (
                <>
                  <p className="field__error" role="alert">
                    {t('photos.failed', { name: upload.name, error: upload.error })}
                  </p>
                  <button type="button" className="btn btn--ghost btn--small" onClick={() => setUploads((l) => l.filter((u) => u.key !== upload.key))}>
                    {t('common.close')}
                  </button>
                </>
              ) : (
                <ProgressBar value={upload.progress} label={t('common.uploading', { name: upload.name, percent: Math.round(upload.progress * 100) })} />
              )}
            </div>
          </li>
        ))}
      </ul>
      <div className="upload-button">
        <input
          id={inputId}
          type="file"
          accept={TYPES.join(',')}
          multiple
          className="visually-hidden-input"
          disabled={room <= 0}
          onChange={(e) => {
            onFiles(e.target.files);
            e.target.value = '';
          }}
          data-testid="photo-input"
        />
        <label htmlFor={inputId} className={`btn btn--secondary${room <= 0 ? ' btn--disabled' : ''}`}>
          + {t('photos.choose')}
        </label>
        {room <= 0 && <span className="hint">{t('photos.limit', { max: config.maxTripPhotos })}</span>}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
