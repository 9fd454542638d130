import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useI18n } from '../i18n/core';

export interface ProfilePoint {
  distance_km: number;
  elevation: number | null;
}

const PAD = { top: 16, right: 16, bottom: 32, left: 48 };

function niceStep(range: number, targetTicks: number): number {
  const raw = range / Math.max(1, targetTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const residual = raw / magnitude;
  const nice = residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1;
  return nice * magnitude;
}

/** Keeps at most `max` points, always including the first and last. */
function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

/**
 * Hand-drawn SVG elevation profile.  Pointer or arrow keys move a cursor; `onCursor`
 * reports the index of the point under it (to show it on the map).
 */
export function ElevationProfile({ points, onCursor }: { points: ProfilePoint[]; onCursor?: (index: number | null) => void }) {
  const { t, formatNumber } = useI18n();
  const [cursor, setCursor] = useState<number | null>(null);
  // Draw at the real pixel width so labels keep their size on phones and desktops.
  const boxRef = useRef<HTMLElement>(null);
  const [W, setWidth] = useState(640);
  useEffect(() => {
    const box = boxRef.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (width > 0) setWidth(Math.max(280, width));
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  const H = Math.round(Math.min(260, Math.max(180, W * 0.32)));

  const data = useMemo(() => {
    const withElevation = points
      .map((p, index) => ({ ...p, index }))
      .filter((p): p is { distance_km: number; elevation: number; index: number } => p.elevation !== null && Number.isFinite(p.elevation));
    if (withElevation.length < 2) return null;
    const sampled = downsample(withElevation, 500);
    const maxD = sampled[sampled.length - 1].distance_km || 1;
    let minE = Infinity;
    let maxE = -Infinity;
    for (const p of sampled) {
      minE = Math.min(minE, p.elevation);
      maxE = Math.max(maxE, p.elevation);
    }
    const spanE = Math.max(20, maxE - minE);
    const lowE = Math.max(-500, minE - spanE * 0.08);
    const highE = maxE + spanE * 0.08;
    const x = (d: number) => PAD.left + (d / maxD) * (W - PAD.left - PAD.right);
    const y = (e: number) => PAD.top + (1 - (e - lowE) / (highE - lowE)) * (H - PAD.top - PAD.bottom);
    const line = sampled.map((p, i) => `${i ? 'L' : 'M'}${x(p.distance_km).toFixed(1)},${y(p.elevation).toFixed(1)}`).join('');
    const area = `${line}L${x(maxD).toFixed(1)},${H - PAD.bottom}L${PAD.left},${H - PAD.bottom}Z`;
    const eStep = niceStep(highE - lowE, 4);
    const eTicks: number[] = [];
    for (let v = Math.ceil(lowE / eStep) * eStep; v <= highE; v += eStep) eTicks.push(v);
    const dStep = niceStep(maxD, Math.max(2, Math.floor(W / 110)));
    const dTicks: number[] = [];
    for (let v = 0; v <= maxD + 1e-9; v += dStep) dTicks.push(v);
    return { sampled, maxD, minE, maxE, x, y, line, area, eTicks, dTicks };
  }, [points, W, H]);

  if (!data) return <p className="hint">{t('elevation.none')}</p>;

  const move = (index: number | null) => {
    setCursor(index);
    onCursor?.(index === null ? null : data.sampled[index].index);
  };

  const onPointer = (event: PointerEvent<SVGSVGElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    if (!rect.width) return;
    const px = ((event.clientX - rect.left) / rect.width) * W;
    const d = ((px - PAD.left) / (W - PAD.left - PAD.right)) * data.maxD;
    let lo = 0;
    let hi = data.sampled.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (data.sampled[mid].distance_km < d) lo = mid + 1;
      else hi = mid;
    }
    move(lo);
  };

  const onKey = (event: KeyboardEvent<SVGSVGElement>) => {
    const last = data.sampled.length - 1;
    const stepSize = Math.max(1, Math.round(data.sampled.length / 50));
    let next: number | null;
    if (event.key === 'ArrowRight') next = Math.min(last, (cursor ?? -1) + stepSize);
    else if (event.key === 'ArrowLeft') next = Math.max(0, (cursor ?? stepSize) - stepSize);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'Escape') next = null;
    else return;
    event.preventDefault();
    move(next);
  };

  const current = cursor === null ? null : data.sampled[cursor];
  const summary = t('elevation.summary', {
    distance: formatNumber(data.maxD, 1),
    min: formatNumber(data.minE, 0),
    max: formatNumber(data.maxE, 0),
  });

  return (
    <figure className="elevation" ref={boxRef}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="elevation__svg"
        role="img"
        aria-label={summary}
        tabIndex={0}
        onPointerMove={onPointer}
        onPointerDown={onPointer}
        onPointerLeave={() => move(null)}
        onKeyDown={onKey}
        onBlur={() => move(null)}
      >
        <defs>
          <linearGradient id="elevation-fill" x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="#d9773f" stopOpacity="0.55" />
            <stop offset="100%" stopColor="#d9773f" stopOpacity="0.05" />
          </linearGradient>
        </defs>
        {data.eTicks.map((v) => (
          <g key={`e${v}`} className="elevation__grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={data.y(v)} y2={data.y(v)} />
            <text x={PAD.left - 6} y={data.y(v) + 4} textAnchor="end">
              {formatNumber(v, 0)}
            </text>
          </g>
        ))}
        {data.dTicks.map((v) => (
          <text key={`d${v}`} className="elevation__tick" x={data.x(v)} y={H - PAD.bottom + 18} textAnchor="middle">
            {formatNumber(v, 1)}
          </text>
        ))}
        <path d={data.area} fill="url(#elevation-fill)" />
        <path d={data.line} className="elevation__line" />
        {current && (
          <g className="elevation__cursor">
            <line x1={data.x(current.distance_km)} x2={data.x(current.distance_km)} y1={PAD.top} y2={H - PAD.bottom} />
            <circle cx={data.x(current.distance_km)} cy={data.y(current.elevation)} r={5} />
          </g>
        )}
        <text className="elevation__axis" x={W - PAD.right} y={H - 2} textAnchor="end">
          {t('elevation.axisDistance')}
        </text>
      </svg>
      <figcaption className="elevation__readout" aria-live="polite">
        {current
          ? t('elevation.at', { km: formatNumber(current.distance_km, 2), m: formatNumber(current.elevation, 0) })
          : summary}
      </figcaption>
    </figure>
  );
}

export default ElevationProfile;
