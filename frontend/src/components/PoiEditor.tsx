import { useId, useMemo, useState, type FormEvent } from 'react';
import { poisApi } from '../api/endpoints';
import { POI_TYPES, type PoiResponse, type PoiType } from '../api/types';
import { config } from '../config';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';
import { errorText } from '../lib/errors';
import MapView, { type MapMarker } from './map/MapView';
import { useToast } from './toast';
import { ErrorState, FormError, LoadingState } from './ui';

function nearestDistance(track: { latitude: number; longitude: number; distance_km: number }[], lat: number, lon: number): number | null {
  if (!track.length) return null;
  let best = track[0];
  let bestD = Infinity;
  for (const p of track) {
    const d = (p.latitude - lat) ** 2 + (p.longitude - lon) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return Math.round(best.distance_km * 100) / 100;
}

/** Points of interest: click the map to place one, name and type it, add; reorder; delete. Max 6. */
export function PoiEditor({
  tripId,
  track = [],
  extraMarkers = [],
}: {
  tripId: string;
  track?: { latitude: number; longitude: number; distance_km: number }[];
  extraMarkers?: MapMarker[];
}) {
  const { t } = useI18n();
  const notify = useToast();
  const ids = { name: useId(), type: useId(), desc: useId() };
  const list = useAsync(() => poisApi.list(tripId), [tripId]);
  const [draft, setDraft] = useState<{ lat: number; lon: number } | null>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState<PoiType>('viewpoint');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  const pois = useMemo(() => list.data?.pois ?? [], [list.data]);
  const line = useMemo<[number, number][]>(() => track.map((p) => [p.latitude, p.longitude]), [track]);
  const markers = useMemo<MapMarker[]>(() => {
    const m: MapMarker[] = [...extraMarkers];
    pois.forEach((p, i) => m.push({ id: p.poi_id, lat: p.latitude, lon: p.longitude, label: p.name, badge: String(i + 1), kind: 'poi' }));
    if (draft) m.push({ id: 'draft', lat: draft.lat, lon: draft.lon, label: t('poiForm.add'), badge: '+', kind: 'draft' });
    return m;
  }, [extraMarkers, pois, draft, t]);

  const full = pois.length >= config.maxPois;

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) {
      setError(t('poiForm.clickMap'));
      return;
    }
    if (!name.trim() || name.trim().length > 100) {
      setError(`${t('poiForm.name')}: ${t('validation.max100')}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await poisApi.create(tripId, {
        name: name.trim(),
        description: description.trim() || null,
        poi_type: type,
        latitude: Number(draft.lat.toFixed(6)),
        longitude: Number(draft.lon.toFixed(6)),
        distance_from_start_km: nearestDistance(track, draft.lat, draft.lon),
        sequence: pois.length,
      });
      list.setData((prev) => ({ pois: [...(prev?.pois ?? []), created], total: (prev?.total ?? 0) + 1 }));
      setDraft(null);
      setName('');
      setDescription('');
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (poi: PoiResponse) => {
    if (!window.confirm(t('common.confirmDelete'))) return;
    try {
      await poisApi.remove(poi.poi_id);
      list.setData((prev) => ({ pois: (prev?.pois ?? []).filter((p) => p.poi_id !== poi.poi_id), total: Math.max(0, (prev?.total ?? 1) - 1) }));
    } catch (err) {
      notify(errorText(err, t), 'error');
    }
  };

  const move = async (from: number, to: number) => {
    if (to < 0 || to >= pois.length || from === to) return;
    const previous = list.data;
    const next = [...pois];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    list.setData({ pois: next.map((p, i) => ({ ...p, sequence: i })), total: next.length });
    try {
      const saved = await poisApi.reorder(tripId, next.map((p) => p.poi_id));
      list.setData(saved);
      setAnnouncement(t('poiForm.reordered', { name: item.name, n: to + 1, total: next.length }));
    } catch (err) {
      if (previous) list.setData(previous);
      notify(errorText(err, t), 'error');
    }
  };

  if (list.loading && !list.data) return <LoadingState />;
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;

  return (
    <div className="poi-editor">
      <MapView label={t('trip.pois')} markers={markers} track={line} onMapClick={full ? undefined : (lat, lon) => setDraft({ lat, lon })} height={320} />
      {full ? (
        <p className="hint">{t('poiForm.limit')}</p>
      ) : (
        <form className="form poi-form" onSubmit={add} noValidate>
          <p className="hint" aria-live="polite">
            {draft ? t('poiForm.at', { lat: draft.lat.toFixed(5), lon: draft.lon.toFixed(5) }) : t('poiForm.clickMap')}
          </p>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={ids.name} className="field__label">
                {t('poiForm.name')}
              </label>
              <input id={ids.name} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.type} className="field__label">
                {t('poiForm.type')}
              </label>
              <select id={ids.type} value={type} onChange={(e) => setType(e.target.value as PoiType)}>
                {POI_TYPES.map((p) => (
                  <option key={p} value={p}>
                    {t(`poi.${p}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.desc} className="field__label">
              {t('poiForm.description')} <span className="hint">{t('common.optional')}</span>
            </label>
            <textarea id={ids.desc} value={description} maxLength={500} rows={2} onChange={(e) => setDescription(e.target.value)} />
          </div>
          <FormError message={error} />
          <button type="submit" className="btn btn--secondary" disabled={busy}>
            + {t('poiForm.add')}
          </button>
        </form>
      )}
      {pois.length === 0 ? (
        <p className="hint">{t('poiForm.empty')}</p>
      ) : (
        <ol className="poi-list" data-testid="poi-list">
          {pois.map((poi, index) => (
            <li key={poi.poi_id} className="poi">
              <strong>{poi.name}</strong> <span className="badge">{t(`poi.${poi.poi_type}`)}</span>
              <span className="poi__actions">
                <button type="button" className="icon-btn" onClick={() => move(index, index - 1)} disabled={index === 0} aria-label={`${t('common.moveUp')}: ${poi.name}`}>
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  onClick={() => move(index, index + 1)}
                  disabled={index === pois.length - 1}
                  aria-label={`${t('common.moveDown')}: ${poi.name}`}
                >
                  <span aria-hidden="true">↓</span>
                </button>
                <button type="button" className="link-button link-button--danger" onClick={() => remove(poi)} aria-label={`${t('common.delete')}: ${poi.name}`}>
                  {t('common.delete')}
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

export default PoiEditor;
