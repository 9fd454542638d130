import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../i18n/I18nProvider';
import ElevationProfile from './ElevationProfile';

const points = Array.from({ length: 101 }, (_, i) => ({ distance_km: i * 0.5, elevation: 800 + Math.sin(i / 10) * 120 }));

describe('ElevationProfile', () => {
  it('draws the profile with an accessible summary', () => {
    const { container } = render(
      <I18nProvider lang="en">
        <ElevationProfile points={points} />
      </I18nProvider>,
    );
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('aria-label')).toMatch(/^Elevation profile: 50 km, between 680 and 920 m of altitude\.$/);
    expect(container.querySelector('.elevation__line')?.getAttribute('d')).toMatch(/^M/);
  });

  it('moves a cursor with the keyboard and reports the point index', () => {
    const onCursor = vi.fn();
    render(
      <I18nProvider lang="en">
        <ElevationProfile points={points} onCursor={onCursor} />
      </I18nProvider>,
    );
    const chart = screen.getByRole('img');
    fireEvent.keyDown(chart, { key: 'Home' });
    expect(onCursor).toHaveBeenLastCalledWith(0);
    expect(screen.getByText('0 km · 800 m')).toBeInTheDocument();
    fireEvent.keyDown(chart, { key: 'End' });
    expect(onCursor).toHaveBeenLastCalledWith(100);
    fireEvent.keyDown(chart, { key: 'Escape' });
    expect(onCursor).toHaveBeenLastCalledWith(null);
  });

  it('says so when the track has no elevation', () => {
    render(
      <I18nProvider lang="en">
        <ElevationProfile points={[{ distance_km: 0, elevation: null }, { distance_km: 1, elevation: null }]} />
      </I18nProvider>,
    );
    expect(screen.getByText('This track has no elevation data.')).toBeInTheDocument();
  });
});
