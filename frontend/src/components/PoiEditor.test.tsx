import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests } from '../api/client';
import type { PoiResponse } from '../api/types';
import { I18nProvider } from '../i18n/I18nProvider';
import { fail, mockFetch } from '../test/utils';
import { PoiEditor } from './PoiEditor';
import { ToastProvider } from './toast';

beforeEach(() => {
  __resetClientForTests();
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(640);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(320);
});
afterEach(() => vi.unstubAllGlobals());

const poi = (id: string, name: string, sequence: number): PoiResponse => ({
  poi_id: id,
  trip_id: 't1',
  name,
  description: null,
  poi_type: 'viewpoint',
  latitude: 41.6 + sequence / 100,
  longitude: -0.9,
  distance_from_start_km: null,
  photo_url: null,
  sequence,
  created_at: '2024-06-01T10:00:00Z',
});

function renderEditor() {
  return render(
    <I18nProvider lang="en">
      <ToastProvider>
        <PoiEditor tripId="t1" />
      </ToastProvider>
    </I18nProvider>,
  );
}

const names = () => within(screen.getByTestId('poi-list')).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent);

describe('PoiEditor reorder', () => {
  it('moves a point up and saves the whole order with POST /trips/{id}/pois/reorder', async () => {
    const bodies: unknown[] = [];
    mockFetch((url, init) => {
      if (url.pathname === '/api/trips/t1/pois/reorder') {
        bodies.push(JSON.parse(String(init.body)));
        return { body: { pois: [poi('b', 'Mirador', 0), poi('a', 'Fuente', 1)], total: 2 } };
      }
      return { body: { pois: [poi('a', 'Fuente', 0), poi('b', 'Mirador', 1)], total: 2 } };
    });
    renderEditor();
    await waitFor(() => expect(names()).toEqual(['Fuente', 'Mirador']));
    expect(screen.getByRole('button', { name: 'Move up: Fuente' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move down: Mirador' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Move up: Mirador' }));
    await waitFor(() => expect(bodies).toEqual([{ poi_ids: ['b', 'a'] }]));
    expect(names()).toEqual(['Mirador', 'Fuente']);
    expect(await screen.findByText('Mirador: now in position 1 of 2.')).toBeInTheDocument();
  });

  it('puts the old order back when the server refuses', async () => {
    mockFetch((url) => {
      if (url.pathname === '/api/trips/t1/pois/reorder') return fail(400, 'HTTP_400', 'La lista de POIs no coincide');
      return { body: { pois: [poi('a', 'Fuente', 0), poi('b', 'Mirador', 1)], total: 2 } };
    });
    renderEditor();
    await waitFor(() => expect(names()).toEqual(['Fuente', 'Mirador']));
    await userEvent.click(screen.getByRole('button', { name: 'Move down: Fuente' }));
    expect(await screen.findByText('La lista de POIs no coincide')).toBeInTheDocument();
    expect(names()).toEqual(['Fuente', 'Mirador']);
  });
});
