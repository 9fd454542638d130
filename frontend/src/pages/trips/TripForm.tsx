import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo } from 'react';
import { Controller, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { tripsApi } from '../../api/endpoints';
import { DIFFICULTIES, type TripCreate, type TripResponse } from '../../api/types';
import MapView, { type MapMarker } from '../../components/map/MapView';
import { PlaceSearch } from '../../components/map/PlaceSearch';
import { reversePlace } from '../../components/map/geocoder';
import { TagInput } from '../../components/TagInput';
import { Field, FormError } from '../../components/ui';
import { useAsync } from '../../hooks/useAsync';
import { useI18n } from '../../i18n/core';
import { applyServerError } from '../../lib/errors';
import { htmlToText, textToHtml } from '../../lib/html';
import { parseDecimal, todayIso, tripSchema, type TripFormValues } from '../../lib/validation';

export const TRIP_FIELDS = ['title', 'description', 'start_date', 'end_date', 'distance_km', 'difficulty', 'is_private', 'tags', 'locations'] as const;

export function tripToFormValues(trip?: TripResponse | null): TripFormValues {
  if (!trip) {
    return { title: '', description: '', start_date: '', end_date: '', distance_km: '', difficulty: '', is_private: false, tags: [], locations: [] };
  }
  return {
    title: trip.title,
    description: htmlToText(trip.description ?? ''),
    start_date: trip.start_date ?? '',
    end_date: trip.end_date ?? '',
    distance_km: trip.distance_km != null ? String(trip.distance_km) : '',
    difficulty: trip.difficulty ?? '',
    is_private: trip.is_private,
    tags: trip.tags.map((tag) => tag.name),
    locations: [...trip.locations]
      .sort((a, b) => a.sequence - b.sequence)
      .map((l) => ({ name: l.name, latitude: l.latitude != null ? String(l.latitude) : '', longitude: l.longitude != null ? String(l.longitude) : '' })),
  };
}

export function formValuesToPayload(values: TripFormValues): TripCreate & { is_private: boolean } {
  const num = (v: string) => (v.trim() === '' ? null : parseDecimal(v));
  return {
    title: values.title.trim(),
    description: textToHtml(values.description),
    start_date: values.start_date,
    end_date: values.end_date || null,
    distance_km: num(values.distance_km),
    difficulty: values.difficulty || null,
    is_private: values.is_private,
    tags: values.tags,
    locations: values.locations.map((l) => {
      const lat = num(l.latitude);
      const lon = num(l.longitude);
      return {
        name: l.name.trim(),
        latitude: lat === null ? null : Number(lat.toFixed(6)),
        longitude: lon === null ? null : Number(lon.toFixed(6)),
      };
    }),
  };
}

interface Props {
  initial?: TripResponse | null;
  submitLabel: string;
  onSubmit: (payload: TripCreate & { is_private: boolean }) => Promise<void>;
}

/** The trip form: validated client-side (Zod) and server-side (errors mapped onto fields). */
export function TripForm({ initial, submitLabel, onSubmit }: Props) {
  const { t, lang } = useI18n();
  const tags = useAsync(() => tripsApi.tags().catch(() => ({ tags: [], count: 0 })), []);
  const {
    register,
    control,
    handleSubmit,
    setError,
    setValue,
    getValues,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<TripFormValues>({ resolver: zodResolver(tripSchema), defaultValues: tripToFormValues(initial) });
  const locations = useFieldArray({ control, name: 'locations' });
  const watchedLocations = useWatch({ control, name: 'locations' });
  const description = useWatch({ control, name: 'description' });

  const markers = useMemo<MapMarker[]>(
    () =>
      (watchedLocations ?? [])
        .map((l, i) => ({ id: `l${i}`, lat: parseDecimal(l.latitude ?? ''), lon: parseDecimal(l.longitude ?? ''), label: l.name || t('editor.point', { n: i + 1 }), badge: String(i + 1) }))
        .filter((m) => Number.isFinite(m.lat) && Number.isFinite(m.lon)),
    [watchedLocations, t],
  );

  const addPoint = (name: string, lat: number, lon: number, lookup: boolean) => {
    if (getValues('locations').length >= 50) return;
    const index = getValues('locations').length;
    const placeholder = t('editor.point', { n: index + 1 });
    locations.append({ name: name || placeholder, latitude: lat.toFixed(6), longitude: lon.toFixed(6) }, { shouldFocus: false });
    if (lookup) {
      // Name the clicked point after the nearest place, unless the rider renamed it meanwhile.
      reversePlace(lat, lon, lang)
        .then((place) => {
          if (place && getValues(`locations.${index}.name`) === placeholder) {
            setValue(`locations.${index}.name`, place.name, { shouldDirty: true });
          }
        })
        .catch(() => undefined);
    }
  };

  const submit = handleSubmit(async (values) => {
    try {
      await onSubmit(formValuesToPayload(values));
    } catch (error) {
      applyServerError(error, setError, t, TRIP_FIELDS);
    }
  });

  const hasErrors = Object.keys(errors).some((k) => k !== 'root');
  const locErrors = errors.locations;

  return (
    <form className="form trip-form" onSubmit={submit} noValidate>
      <FormError message={errors.root?.server?.message ?? (submitCount > 0 && hasErrors ? t('editor.fixErrors') : null)} />

      <fieldset className="card fieldset">
        <legend>{t('editor.section.basics')}</legend>
        <Field label={t('editor.title')} error={errors.title?.message}>
          {(a) => <input {...a} {...register('title')} maxLength={200} />}
        </Field>
        <div className="form-grid">
          <Field label={t('editor.startDate')} error={errors.start_date?.message}>
            {(a) => <input {...a} {...register('start_date')} type="date" max={todayIso()} />}
          </Field>
          <Field label={`${t('editor.endDate')} ${t('common.optional')}`} error={errors.end_date?.message}>
            {(a) => <input {...a} {...register('end_date')} type="date" />}
          </Field>
          <Field label={`${t('editor.distance')} ${t('common.optional')}`} error={errors.distance_km?.message}>
            {(a) => <input {...a} {...register('distance_km')} inputMode="decimal" />}
          </Field>
          <Field label={t('editor.difficulty')} error={errors.difficulty?.message}>
            {(a) => (
              <select {...a} {...register('difficulty')}>
                <option value="">{t('editor.difficultyNone')}</option>
                {DIFFICULTIES.map((d) => (
                  <option key={d} value={d}>
                    {t(`difficulty.${d}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {initial && (
          <label className="checkbox">
            <input type="checkbox" {...register('is_private')} /> {t('editor.private')}
          </label>
        )}
      </fieldset>

      <fieldset className="card fieldset">
        <legend>{t('editor.section.story')}</legend>
        <Field
          label={t('editor.description')}
          error={errors.description?.message}
          help={
            <>
              {t('editor.descriptionHelp')} <span aria-live="polite">{t('editor.charCount', { count: description?.trim().length ?? 0 })}</span>
            </>
          }
        >
          {(a) => <textarea {...a} {...register('description')} rows={8} />}
        </Field>
        <Controller
          control={control}
          name="tags"
          render={({ field }) => (
            <TagInput
              label={t('editor.tags')}
              value={field.value}
              onChange={field.onChange}
              suggestions={tags.data?.tags.map((x) => x.name)}
              error={errors.tags?.message ?? errors.tags?.find?.((e) => e?.message)?.message}
              help={t('editor.tagsHelp')}
            />
          )}
        />
      </fieldset>

      <fieldset className="card fieldset">
        <legend>{t('editor.section.places')}</legend>
        <p className="field__help">{t('editor.locationsHelp')}</p>
        <PlaceSearch onPick={(place) => addPoint(place.name, place.lat, place.lon, false)} />
        <MapView label={t('map.pickHint')} markers={markers} onMapClick={(lat, lon) => addPoint('', lat, lon, true)} height={320} />
        {locErrors?.message && (
          <p className="field__error" role="alert">
            {t('validation.locations.max')}
          </p>
        )}
        {locations.fields.length === 0 ? (
          <p className="hint">{t('editor.noLocations')}</p>
        ) : (
          <ol className="location-list">
            {locations.fields.map((field, index) => {
              const e = locErrors?.[index];
              return (
                <li key={field.id} className="location-row">
                  <span className="location-row__num" aria-hidden="true">
                    {index + 1}
                  </span>
                  <Field label={t('editor.locationName', { n: index + 1 })} error={e?.name?.message} className="location-row__name">
                    {(a) => <input {...a} {...register(`locations.${index}.name`)} maxLength={200} />}
                  </Field>
                  <Field label={t('editor.latitude')} error={e?.latitude?.message}>
                    {(a) => <input {...a} {...register(`locations.${index}.latitude`)} inputMode="decimal" />}
                  </Field>
                  <Field label={t('editor.longitude')} error={e?.longitude?.message}>
                    {(a) => <input {...a} {...register(`locations.${index}.longitude`)} inputMode="decimal" />}
                  </Field>
                  <div className="location-row__actions">
                    <button type="button" className="icon-btn" onClick={() => locations.move(index, index - 1)} disabled={index === 0} aria-label={`${t('common.moveUp')} (${index + 1})`}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-btn"
                      onClick={() => locations.move(index, index + 1)}
                      disabled={index === locations.fields.length - 1}
                      aria-label={`${t('common.moveDown')} (${index + 1})`}
                    >
                      ↓
                    </button>
                    <button type="button" className="icon-btn icon-btn--danger" onClick={() => locations.remove(index)} aria-label={`${t('common.remove')} (${index + 1})`}>
                      ✕
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
        <button
          type="button"
          className="btn btn--ghost"
          onClick={() => locations.append({ name: '', latitude: '', longitude: '' })}
          disabled={locations.fields.length >= 50}
        >
          + {t('editor.addLocation')}
        </button>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
          {isSubmitting ? t('common.saving') : submitLabel}
        </button>
      </div>
    </form>
  );
}
