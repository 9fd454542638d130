import { useId, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/core';
import { GeocoderUnavailable, searchPlaces, type Place } from './geocoder';

type Status = 'idle' | 'searching' | 'done' | 'unavailable';

/** Search box over the geocoder; choosing a result calls `onPick`. */
export function PlaceSearch({ onPick }: { onPick: (place: Place) => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Place[]>([]);
  const [status, setStatus] = useState<Status>('idle');
  const controller = useRef<AbortController | null>(null);

  const run = async (event?: FormEvent) => {
    event?.preventDefault();
    const q = query.trim();
    if (q.length < 2) return;
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setStatus('searching');
    try {
      const found = await searchPlaces(q, lang, c.signal);
      if (c.signal.aborted) return;
      setResults(found);
      setStatus('done');
    } catch (error) {
      if (c.signal.aborted) return;
      setResults([]);
      setStatus(error instanceof GeocoderUnavailable ? 'unavailable' : 'unavailable');
    }
  };

  return (
    <div className="place-search">
      {/* Not a <form>: it usually sits inside the trip form. */}
      <label htmlFor={id} className="field__label">
        {t('map.search')}
      </label>
      <div className="place-search__row">
        <input
          id={id}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void run();
            }
          }}
          autoComplete="off"
        />
        <button type="button" className="btn btn--secondary" onClick={() => void run()} disabled={status === 'searching'}>
          {status === 'searching' ? t('map.searching') : t('map.searchButton')}
        </button>
      </div>
      <div aria-live="polite" className="place-search__status">
        {status === 'unavailable' && <p className="hint">{t('map.searchUnavailable')}</p>}
        {status === 'done' && results.length === 0 && <p className="hint">{t('map.noResults')}</p>}
      </div>
      {results.length > 0 && (
        <ul className="place-search__results" aria-label={t('map.results')}>
          {results.map((place) => (
            <li key={`${place.lat},${place.lon}`}>
              <button
                type="button"
                className="place-search__result"
                onClick={() => {
                  onPick(place);
                  setResults([]);
                  setStatus('idle');
                  setQuery('');
                }}
              >
                <strong>{place.name}</strong>
                <span>{place.label}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
