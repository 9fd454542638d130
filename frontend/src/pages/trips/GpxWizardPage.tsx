import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { gpxApi } from '../../api/endpoints';
import type { GpxTelemetry, GpxWizardResult } from '../../api/types';
import ElevationProfile from '../../components/ElevationProfile';
import MapView from '../../components/map/MapView';
import PoiEditor from '../../components/PoiEditor';
import { FormError, ProgressBar, StatTile, usePageTitle } from '../../components/ui';
import { useI18n } from '../../i18n/core';
import { errorText } from '../../lib/errors';
import { textToHtml } from '../../lib/html';
import { todayIso } from '../../lib/validation';
import { isApiError } from '../../api';

type Step = 1 | 2 | 3;

export default function GpxWizardPage() {
  const { t, formatNumber } = useI18n();
  const navigate = useNavigate();
  usePageTitle(t('wizard.title'));
  const ids = { file: useId(), title: useId(), desc: useId(), start: useId(), end: useId() };
  const [step, setStep] = useState<Step>(1);
  const [file, setFile] = useState<File | null>(null);
  const [telemetry, setTelemetry] = useState<GpxTelemetry | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [form, setForm] = useState({ title: '', description: '', start_date: '', end_date: '' });
  const [created, setCreated] = useState<GpxWizardResult | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);

  type FormKey = keyof typeof form;
  const edit = (key: FormKey, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setFieldErrors((errs) => {
      const next = { ...errs };
      delete next[key];
      return next;
    });
  };

  const line = useMemo<[number, number][]>(() => telemetry?.trackpoints.map((p) => [p.latitude, p.longitude]) ?? [], [telemetry]);

  const analyze = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!file || !file.name.toLowerCase().endsWith('.gpx')) {
      setError(t('validation.gpxFile'));
      return;
    }
    setProgress(0);
    try {
      const data = await gpxApi.analyze(file, setProgress);
      setTelemetry(data);
      setForm({
        title: data.suggested_title ?? '',
        description: '',
        start_date: data.start_date ?? '',
        end_date: data.end_date ?? '',
      });
      setStep(2);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setProgress(null);
    }
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    const errs: Record<string, string> = {};
    if (!form.title.trim()) errs.title = t('validation.required');
    else if (form.title.length > 200) errs.title = t('validation.title.max');
    if (form.description.trim().length < 50) errs.description = t('validation.publishDescription');
    if (!form.start_date) errs.start_date = t('validation.required');
    else if (form.start_date > todayIso()) errs.start_date = t('validation.date.future');
    if (form.end_date && form.start_date && form.end_date < form.start_date) errs.end_date = t('validation.date.order');
    setFieldErrors(errs);
    if (Object.keys(errs).length) return;
    setError(null);
    setProgress(0);
    try {
      const result = await gpxApi.createFromWizard(
        file,
        { title: form.title.trim(), description: textToHtml(form.description), start_date: form.start_date, end_date: form.end_date || null },
        setProgress,
      );
      setCreated(result);
      setStep(3);
    } catch (err) {
      const field = isApiError(err) && err.field ? err.field.replace(/^body\./, '') : null;
      if (field && ['title', 'description', 'start_date', 'end_date'].includes(field)) setFieldErrors({ [field]: errorText(err, t) });
      else setError(errorText(err, t));
    } finally {
      setProgress(null);
    }
  };

  const steps: [Step, string][] = [
    [1, t('wizard.step1')],
    [2, t('wizard.step2')],
    [3, t('wizard.step3')],
  ];

  return (
    <section className="section editor">
      <header className="page-header">
        <h1>{t('wizard.title')}</h1>
        <p className="lead">{t('wizard.intro')}</p>
        <ol className="stepper" aria-label={t('wizard.stepper')}>
          {steps.map(([n, label]) => (
            <li key={n} className={n === step ? 'stepper__step stepper__step--current' : n < step ? 'stepper__step stepper__step--done' : 'stepper__step'} aria-current={n === step ? 'step' : undefined}>
              {label}
            </li>
          ))}
        </ol>
      </header>

      {step === 1 && (
        <form className="card form" onSubmit={analyze} noValidate>
          <div className="field">
            <label htmlFor={ids.file} className="field__label">
              {t('wizard.chooseFile')}
            </label>
            <input id={ids.file} type="file" accept=".gpx,application/gpx+xml" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            <p className="field__help">{t('gpx.help')}</p>
          </div>
          {progress !== null && <ProgressBar value={progress} label={t('common.progress')} />}
          <FormError message={error} />
          <button type="submit" className="btn btn--primary" disabled={progress !== null}>
            {progress !== null ? t('wizard.analyzing') : t('wizard.analyze')}
          </button>
        </form>
      )}

      {step === 2 && telemetry && (
        <>
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">{t('wizard.summary')}</h2>
            <dl className="stats-grid">
              <StatTile label={t('trip.distance')} value={t('common.km', { value: formatNumber(telemetry.distance_km, 1) })} />
              {telemetry.elevation_gain != null && <StatTile label={t('trip.elevationGain')} value={t('common.m', { value: formatNumber(telemetry.elevation_gain, 0) })} />}
              {telemetry.max_elevation != null && <StatTile label={t('trip.maxElevation')} value={t('common.m', { value: formatNumber(telemetry.max_elevation, 0) })} />}
              <StatTile label={t('trip.difficulty')} value={t(`difficulty.${telemetry.difficulty}`)} />
              {telemetry.total_time_minutes != null && <StatTile label={t('wizard.duration')} value={`${Math.floor(telemetry.total_time_minutes / 60)} h ${Math.round(telemetry.total_time_minutes % 60)} min`} />}
            </dl>
            <MapView
              label={t('trip.route')}
              track={line}
              highlight={cursor !== null ? [telemetry.trackpoints[cursor].latitude, telemetry.trackpoints[cursor].longitude] : null}
              height={300}
            />
            <ElevationProfile points={telemetry.trackpoints} onCursor={setCursor} />
          </section>
          <form className="card form" onSubmit={create} noValidate>
            <div className={`field${fieldErrors.title ? ' field--invalid' : ''}`}>
              <label htmlFor={ids.title} className="field__label">
                {t('editor.title')}
              </label>
              <input id={ids.title} value={form.title} maxLength={200} aria-invalid={Boolean(fieldErrors.title)} aria-describedby={`${ids.title}-e`} onChange={(e) => edit('title', e.target.value)} />
              <p id={`${ids.title}-e`} className="field__error" role={fieldErrors.title ? 'alert' : undefined}>
                {fieldErrors.title}
              </p>
            </div>
            <div className={`field${fieldErrors.description ? ' field--invalid' : ''}`}>
              <label htmlFor={ids.desc} className="field__label">
                {t('editor.description')}
              </label>
              <textarea id={ids.desc} rows={6} value={form.description} aria-invalid={Boolean(fieldErrors.description)} aria-describedby={`${ids.desc}-h ${ids.desc}-e`} onChange={(e) => edit('description', e.target.value)} />
              <p id={`${ids.desc}-h`} className="field__help">
                {t('editor.descriptionHelp')} {t('editor.charCount', { count: form.description.trim().length })}
              </p>
              <p id={`${ids.desc}-e`} className="field__error" role={fieldErrors.description ? 'alert' : undefined}>
                {fieldErrors.description}
              </p>
            </div>
            <div className="form-grid">
              <div className={`field${fieldErrors.start_date ? ' field--invalid' : ''}`}>
                <label htmlFor={ids.start} className="field__label">
                  {t('editor.startDate')}
                </label>
                <input id={ids.start} type="date" max={todayIso()} value={form.start_date} aria-invalid={Boolean(fieldErrors.start_date)} aria-describedby={`${ids.start}-e`} onChange={(e) => edit('start_date', e.target.value)} />
                <p id={`${ids.start}-e`} className="field__error" role={fieldErrors.start_date ? 'alert' : undefined}>
                  {fieldErrors.start_date}
                </p>
              </div>
              <div className={`field${fieldErrors.end_date ? ' field--invalid' : ''}`}>
                <label htmlFor={ids.end} className="field__label">
                  {t('editor.endDate')} {t('common.optional')}
                </label>
                <input id={ids.end} type="date" value={form.end_date} aria-invalid={Boolean(fieldErrors.end_date)} aria-describedby={`${ids.end}-e`} onChange={(e) => edit('end_date', e.target.value)} />
                <p id={`${ids.end}-e`} className="field__error" role={fieldErrors.end_date ? 'alert' : undefined}>
                  {fieldErrors.end_date}
                </p>
              </div>
            </div>
            {progress !== null && <ProgressBar value={progress} label={t('common.progress')} />}
            <FormError message={error} />
            <div className="row">
              <button type="button" className="btn btn--ghost" onClick={() => setStep(1)}>
                ← {t('common.back')}
              </button>
              <button type="submit" className="btn btn--primary" disabled={progress !== null}>
                {progress !== null ? t('wizard.creating') : t('wizard.create')}
              </button>
            </div>
          </form>
        </>
      )}

      {step === 3 && created && (
        <section className="card" aria-labelledby="pois-step-title">
          <h2 id="pois-step-title">{t('wizard.step3')}</h2>
          <p className="lead">{t('wizard.poisIntro')}</p>
          <PoiEditor tripId={created.trip_id} track={telemetry?.trackpoints ?? []} />
          <div className="row">
            <button type="button" className="btn btn--primary" onClick={() => navigate(`/trips/${created.trip_id}/edit`)}>
              {t('wizard.finish')} →
            </button>
            <Link to={`/trips/${created.trip_id}`} className="btn btn--ghost">
              {t('editor.viewTrip')}
            </Link>
          </div>
        </section>
      )}
    </section>
  );
}
