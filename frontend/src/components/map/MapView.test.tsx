import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../i18n/I18nProvider';
import MapView from './MapView';
import { PlaceSearch } from './PlaceSearch';
import { __clearGeocoderCache } from './geocoder';

// jsdom has no layout: give containers a size so Leaflet requests tiles.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(640);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(360);
});
afterEach(() => {
  vi.unstubAllGlobals();
  __clearGeocoderCache();
});

const markers = [
  { id: 'a', lat: 42.6, lon: -5.57, label: 'León', badge: '1' },
  { id: 'b', lat: 42.45, lon: -6.05, label: 'Astorga', badge: '2' },
];

describe('MapView', () => {
  it('renders markers and a track, and survives every tile failing to load', async () => {
    const onError = vi.fn();
    window.addEventListener('error', onError);
    const { container } = render(
      <I18nProvider lang="en">
        <MapView label="Route map" markers={markers} track={[[42.6, -5.57], [42.5, -5.8], [42.45, -6.05]]} />
      </I18nProvider>,
    );
    expect(screen.getByRole('region', { name: 'Route map' })).toBeInTheDocument();
    expect(container.querySelectorAll('.pin')).toHaveLength(2);
    expect(container.querySelector('path.leaflet-interactive')).not.toBeNull();

    const tiles = await waitFor(() => {
      const found = container.querySelectorAll('img.leaflet-tile');
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
    tiles.forEach((tile) => fireEvent.error(tile));

    expect(await screen.findByTestId('map-tiles-note')).toHaveTextContent('Base map tiles cannot be loaded');
    // The failed tiles are swapped for a blank image rather than a broken-image icon.
    await waitFor(() => expect(container.querySelector('img.leaflet-tile')?.getAttribute('src')).toMatch(/^data:image\/gif/));
    expect(onError).not.toHaveBeenCalled();
    window.removeEventListener('error', onError);
  });

  it('reports clicks with coordinates', () => {
    const onClick = vi.fn();
    const { container } = render(
      <I18nProvider>
        <MapView label="Mapa" onMapClick={onClick} />
      </I18nProvider>,
    );
    const canvas = container.querySelector('.leaflet-container')!;
    fireEvent.click(canvas, { clientX: 100, clientY: 100 });
    expect(onClick).toHaveBeenCalledTimes(1);
    const [lat, lon] = onClick.mock.calls[0];
    expect(Number.isFinite(lat) && Number.isFinite(lon)).toBe(true);
  });

  it('unmounts cleanly', () => {
    const { unmount } = render(
      <I18nProvider>
        <MapView label="Mapa" markers={markers} />
      </I18nProvider>,
    );
    expect(() => unmount()).not.toThrow();
  });
});

describe('PlaceSearch', () => {
  it('degrades gracefully when the geocoder is unreachable', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))));
    const onPick = vi.fn();
    render(
      <I18nProvider lang="en">
        <PlaceSearch onPick={onPick} />
      </I18nProvider>,
    );
    await userEvent.type(screen.getByLabelText('Search for a place'), 'Astorga{Enter}');
    expect(await screen.findByText(/Place search is unavailable/)).toBeInTheDocument();
    expect(onPick).not.toHaveBeenCalled();
  });

  it('lists results and picks one', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify([{ display_name: 'Astorga, León, España', name: 'Astorga', lat: '42.4588', lon: '-6.0563' }]))),
    );
    const onPick = vi.fn();
    render(
      <I18nProvider>
        <PlaceSearch onPick={onPick} />
      </I18nProvider>,
    );
    await userEvent.type(screen.getByLabelText('Buscar un lugar'), 'Astorga');
    await userEvent.click(screen.getByRole('button', { name: 'Buscar' }));
    await userEvent.click(await screen.findByRole('button', { name: /Astorga, León/ }));
    expect(onPick).toHaveBeenCalledWith({ name: 'Astorga', label: 'Astorga, León, España', lat: 42.4588, lon: -6.0563 });
  });
});
