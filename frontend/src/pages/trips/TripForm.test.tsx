import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api';
import { __resetClientForTests } from '../../api/client';
import { mockFetch, renderPage } from '../../test/utils';
import { todayIso } from '../../lib/validation';
import { formValuesToPayload, TripForm } from './TripForm';

beforeEach(() => {
  mockFetch(() => ({ body: { success: true, data: { tags: [{ tag_id: '1', name: 'vías verdes', normalized: 'vías verdes', usage_count: 3, created_at: '' }], count: 1 }, error: null } }));
});
afterEach(() => {
  vi.unstubAllGlobals();
  __resetClientForTests();
});

async function fillBasics(user: ReturnType<typeof userEvent.setup>, lang: 'es' | 'en' = 'es') {
  await user.type(screen.getByLabelText(lang === 'es' ? 'Título' : 'Title'), 'León a Astorga');
  await user.type(screen.getByLabelText(lang === 'es' ? 'Fecha de inicio' : 'Start date'), '2024-05-01');
  await user.type(screen.getByLabelText(lang === 'es' ? 'Historia' : 'Story'), 'Una etapa preciosa por la meseta.\n\nCon viento de cara.');
}

describe('TripForm', () => {
  it('validates required fields, future dates and date order (es)', async () => {
    const onSubmit = vi.fn();
    renderPage(<TripForm submitLabel="Guardar borrador" onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(await screen.findAllByText('Este campo es obligatorio.')).toHaveLength(3);
    expect(screen.getByText('Revisa los campos marcados.')).toBeInTheDocument();

    const future = new Date();
    future.setDate(future.getDate() + 3);
    await user.type(screen.getByLabelText('Fecha de inicio'), todayIso(future));
    await user.type(screen.getByLabelText('Fecha de fin (opcional)'), '2020-01-01');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(await screen.findByText('La fecha de inicio no puede estar en el futuro.')).toBeInTheDocument();
    expect(screen.getByText('La fecha de fin debe ser posterior o igual a la de inicio.')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('validates in English too', async () => {
    renderPage(<TripForm submitLabel="Save draft" onSubmit={vi.fn()} />, { lang: 'en' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Distance (km) (optional)'), '0');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Distance must be between 0.1 and 10,000 km.')).toBeInTheDocument();
    expect(screen.getAllByText('This field is required.').length).toBeGreaterThan(0);
  });

  it('submits tags, places and the story as HTML', async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    renderPage(<TripForm submitLabel="Guardar borrador" onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await fillBasics(user);
    await user.type(screen.getByLabelText('Distancia (km) (opcional)'), '52,5');
    await user.selectOptions(screen.getByLabelText('Dificultad'), 'moderate');
    await user.type(screen.getByLabelText('Etiquetas'), 'camino{Enter}meseta,');
    expect(screen.getByText('#camino')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '+ Añadir lugar sin mapa' }));
    await user.type(screen.getByLabelText('Nombre del lugar 1'), 'León');
    await user.type(screen.getByLabelText('Latitud'), '42.598726');
    await user.type(screen.getByLabelText('Longitud'), '-5.567095');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));

    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0][0]).toEqual({
      title: 'León a Astorga',
      description: '<p>Una etapa preciosa por la meseta.</p><p>Con viento de cara.</p>',
      start_date: '2024-05-01',
      end_date: null,
      distance_km: 52.5,
      difficulty: 'moderate',
      is_private: false,
      tags: ['camino', 'meseta'],
      locations: [{ name: 'León', latitude: 42.598726, longitude: -5.567095 }],
    });
  });

  it('shows a server error on locations.0.latitude next to that input', async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError(400, 'VALIDATION_ERROR', "Error de validación en el campo 'locations.0.latitude': fuera de rango", 'locations.0.latitude'),
    );
    renderPage(<TripForm submitLabel="Guardar borrador" onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await fillBasics(user);
    await user.click(screen.getByRole('button', { name: '+ Añadir lugar sin mapa' }));
    await user.type(screen.getByLabelText('Nombre del lugar 1'), 'León');
    await user.type(screen.getByLabelText('Latitud'), '42.5');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));

    const message = await screen.findByText(/locations.0.latitude': fuera de rango/);
    const latitude = screen.getByLabelText('Latitud');
    expect(latitude).toHaveAttribute('aria-invalid', 'true');
    expect(latitude.getAttribute('aria-describedby')).toContain(message.id);
    const row = latitude.closest('li')!;
    expect(within(row).getByText(/fuera de rango/)).toBe(message);
  });

  it('puts errors without a known field at the top of the form', async () => {
    const onSubmit = vi.fn().mockRejectedValue(new ApiError(403, 'FORBIDDEN', 'No tienes permiso'));
    renderPage(<TripForm submitLabel="Guardar" onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await fillBasics(user);
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    const alert = await screen.findByText('No tienes permiso');
    expect(alert).toHaveAttribute('role', 'alert');
  });
});

describe('formValuesToPayload', () => {
  it('converts empty optional values to null and rounds coordinates', () => {
    const payload = formValuesToPayload({
      title: ' T ',
      description: 'x',
      start_date: '2024-01-01',
      end_date: '',
      distance_km: '',
      difficulty: '',
      is_private: true,
      tags: [],
      locations: [{ name: 'A', latitude: '1.12345678', longitude: '' }],
    });
    expect(payload).toMatchObject({ title: 'T', end_date: null, distance_km: null, difficulty: null, is_private: true });
    expect(payload.locations).toEqual([{ name: 'A', latitude: 1.123457, longitude: null }]);
  });
});
