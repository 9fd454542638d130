import { useEffect, useRef, useState } from 'react';
import { mediaUrl } from '../api';
import { photoThumb, type TripPhoto } from '../api/types';
import { useI18n } from '../i18n/core';

/** Photo grid with a keyboard-friendly lightbox (←/→ to browse, Esc to close). */
export function Gallery({ photos, title }: { photos: TripPhoto[]; title: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const sorted = [...photos].sort((a, b) => a.order - b.order);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open !== null && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (open === null && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [open]);

  if (sorted.length === 0) return <p className="hint">{t('trip.noPhotos')}</p>;

  const go = (delta: number) => setOpen((i) => (i === null ? i : (i + delta + sorted.length) % sorted.length));
  const current = open !== null ? sorted[open] : null;

  return (
    <>
      <ul className={`gallery gallery--${Math.min(sorted.length, 4)}`}>
        {sorted.map((photo, index) => (
          <li key={photo.id ?? photo.photo_id ?? photo.photo_url}>
            <button type="button" className="gallery__item" onClick={() => setOpen(index)} aria-label={t('trip.openPhoto', { n: index + 1 })}>
              <img src={mediaUrl(photoThumb(photo)) ?? ''} alt={photo.caption ?? `${title} — ${t('trip.photoOf', { n: index + 1, total: sorted.length })}`} loading="lazy" />
            </button>
          </li>
        ))}
      </ul>
      <dialog
        ref={dialogRef}
        className="lightbox"
        aria-label={current ? t('trip.photoOf', { n: (open ?? 0) + 1, total: sorted.length }) : undefined}
        onClose={() => setOpen(null)}
        onCancel={() => setOpen(null)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight') go(1);
          if (e.key === 'ArrowLeft') go(-1);
        }}
        onClick={(e) => {
          if (e.target === e.currentTarget) setOpen(null);
        }}
      >
        {current && (
          <div className="lightbox__inner">
            <img src={mediaUrl(current.photo_url) ?? ''} alt={current.caption ?? title} />
            <div className="lightbox__bar">
              <button type="button" className="btn btn--ghost" onClick={() => go(-1)} aria-label={t('common.previous')}>
                ←
              </button>
              <span>{t('trip.photoOf', { n: (open ?? 0) + 1, total: sorted.length })}</span>
              <button type="button" className="btn btn--ghost" onClick={() => go(1)} aria-label={t('common.next')}>
                →
              </button>
              <button type="button" className="btn btn--ghost" onClick={() => setOpen(null)} autoFocus>
                {t('common.close')}
              </button>
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}
