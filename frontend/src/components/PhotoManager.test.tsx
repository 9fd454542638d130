import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tripsApi } from '../api/endpoints';
import type { TripPhotoUploadResult } from '../api/types';
import { I18nProvider } from '../i18n/I18nProvider';
import { PhotoManager } from './PhotoManager';
import { ToastProvider } from './toast';

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:preview');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.restoreAllMocks());

function renderManager() {
  return render(
    <I18nProvider lang="en">
      <ToastProvider>
        <PhotoManager tripId="t1" initial={[]} />
      </ToastProvider>
    </I18nProvider>,
  );
}

const result = (id: string, order: number): TripPhotoUploadResult => ({
  id,
  trip_id: 't1',
  photo_url: `/storage/${id}.jpg`,
  thumb_url: `/storage/${id}_thumb.jpg`,
  order,
  file_size: 1000,
  width: 1200,
  height: 800,
  uploaded_at: '2024-01-01T00:00:00Z',
});

describe('PhotoManager', () => {
  it('uploads several files one by one with a progress bar each, then reorders', async () => {
    const pending: { resolve: () => void; progress: (f: number) => void }[] = [];
    const upload = vi.spyOn(tripsApi, 'uploadPhoto').mockImplementation((_trip, file, onProgress) => {
      const id = (file as File).name.replace('.jpg', '');
      return new Promise((resolve) => {
        pending.push({ resolve: () => resolve(result(id, pending.length - 1)), progress: (f) => onProgress?.(f) });
      });
    });
    const reorder = vi.spyOn(tripsApi, 'reorderPhotos').mockResolvedValue({});
    renderManager();

    const files = [new File(['a'], 'first.jpg', { type: 'image/jpeg' }), new File(['b'], 'second.jpg', { type: 'image/jpeg' })];
    await userEvent.upload(screen.getByTestId('photo-input'), files);
    const bars = screen.getAllByRole('progressbar');
    expect(bars).toHaveLength(2);

    // Only the first upload is in flight.
    await vi.waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    act(() => pending[0].progress(0.5));
    expect(screen.getByRole('progressbar', { name: 'Uploading first.jpg: 50%' })).toHaveAttribute('aria-valuenow', '50');
    await act(async () => pending[0].resolve());
    await vi.waitFor(() => expect(upload).toHaveBeenCalledTimes(2));
    await act(async () => pending[1].resolve());

    const grid = screen.getByTestId('photo-grid');
    await vi.waitFor(() => expect(within(grid).getAllByRole('img')).toHaveLength(2));
    expect(screen.queryAllByRole('progressbar')).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Move down (1)' }));
    expect(reorder).toHaveBeenCalledWith('t1', ['second', 'first']);
  });

  it('rejects unsupported files before uploading', async () => {
    const upload = vi.spyOn(tripsApi, 'uploadPhoto');
    renderManager();
    await userEvent.upload(screen.getByTestId('photo-input'), new File(['x'], 'track.gif', { type: 'image/gif' }), { applyAccept: false });
    expect(await screen.findByText('Could not upload track.gif: Unsupported file type.')).toBeInTheDocument();
    expect(upload).not.toHaveBeenCalled();
  });
});
