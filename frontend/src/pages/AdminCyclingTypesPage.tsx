import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { isApiError } from '../api';
import { cyclingTypesApi } from '../api/endpoints';
import type { CyclingTypeFull } from '../api/types';
import { useToast } from '../components/toast';
import { EmptyState, ErrorState, Field, FormError, LoadingState, usePageTitle } from '../components/ui';
import { useAsync } from '../hooks/useAsync';
import { useI18n } from '../i18n/core';
import { applyServerError, errorText } from '../lib/errors';

const createSchema = z.object({
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9_-]{0,48}[a-z0-9])?$/, 'validation.code')
    .min(2, 'validation.code'),
  display_name: z.string().trim().min(2, 'validation.displayName').max(100, 'validation.displayName'),
  description: z.string().max(500, 'validation.max500'),
});
type CreateValues = z.infer<typeof createSchema>;

function Row({ item, onChange, onRemove }: { item: CyclingTypeFull; onChange: (next: CyclingTypeFull) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const notify = useToast();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(item.display_name);
  const [description, setDescription] = useState(item.description ?? '');

  const save = async (changes: { display_name?: string; description?: string | null; is_active?: boolean }) => {
    try {
      const updated = await cyclingTypesApi.update(item.code, changes);
      onChange({ ...item, ...changes, ...(updated ?? {}) });
      setEditing(false);
    } catch (error) {
      notify(errorText(error, t), 'error');
    }
  };
  const hardDelete = async () => {
    if (!window.confirm(t('common.confirmDelete'))) return;
    try {
      await cyclingTypesApi.remove(item.code, true);
      onRemove();
    } catch (error) {
      notify(errorText(error, t), 'error');
    }
  };

  return (
    <tr>
      <td>
        <code>{item.code}</code>
      </td>
      <td>
        {editing ? (
          <input aria-label={`${t('admin.displayName')} ${item.code}`} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        ) : (
          item.display_name
        )}
      </td>
      <td>
        {editing ? (
          <textarea aria-label={`${t('admin.description')} ${item.code}`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} rows={2} />
        ) : (
          item.description
        )}
      </td>
      <td>
        <span className={`badge ${item.is_active ? 'badge--ok' : ''}`}>{item.is_active ? t('admin.active') : t('admin.inactive')}</span>
      </td>
      <td className="table__actions">
        {editing ? (
          <>
            <button type="button" className="btn btn--primary btn--small" onClick={() => save({ display_name: name.trim(), description: description.trim() || null })}>
              {t('common.save')}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => save({ is_active: !item.is_active })}>
              {item.is_active ? t('admin.deactivate') : t('admin.activate')}
            </button>
            <button type="button" className="btn btn--danger-ghost btn--small" onClick={hardDelete}>
              {t('admin.hardDelete')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

export default function AdminCyclingTypesPage() {
  const { t } = useI18n();
  const notify = useToast();
  usePageTitle(t('admin.title'));
  const list = useAsync(() => cyclingTypesApi.adminList(), []);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<CreateValues>({ resolver: zodResolver(createSchema), defaultValues: { code: '', display_name: '', description: '' } });

  const create = handleSubmit(async (values) => {
    try {
      const created = await cyclingTypesApi.create({ ...values, description: values.description.trim() || null, is_active: true });
      list.setData((prev) => [...(prev ?? []), created]);
      reset();
      notify(t('admin.created'));
    } catch (error) {
      applyServerError(error, setError, t, ['code', 'display_name', 'description']);
    }
  });

  if (list.loading && !list.data) return <LoadingState />;
  if (list.error) {
    const forbidden = isApiError(list.error) && (list.error.status === 403 || list.error.status === 401);
    return forbidden ? <ErrorState error={list.error} title={t('admin.forbidden')} /> : <ErrorState error={list.error} onRetry={list.reload} />;
  }
  const items = list.data ?? [];

  return (
    <section className="section">
      <header className="page-header">
        <h1>{t('admin.title')}</h1>
        <p className="lead">{t('admin.intro')}</p>
      </header>
      <form className="card form" onSubmit={create} noValidate>
        <FormError message={errors.root?.server?.message} />
        <div className="form-grid">
          <Field label={t('admin.code')} error={errors.code?.message}>
            {(a) => <input {...a} {...register('code')} maxLength={50} autoCapitalize="none" />}
          </Field>
          <Field label={t('admin.displayName')} error={errors.display_name?.message}>
            {(a) => <input {...a} {...register('display_name')} maxLength={100} />}
          </Field>
        </div>
        <Field label={`${t('admin.description')} ${t('common.optional')}`} error={errors.description?.message}>
          {(a) => <textarea {...a} {...register('description')} rows={2} maxLength={500} />}
        </Field>
        <button type="submit" className="btn btn--primary" disabled={isSubmitting}>
          {t('admin.create')}
        </button>
      </form>
      {items.length === 0 ? (
        <EmptyState>{t('admin.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('admin.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.code')}</th>
                <th scope="col">{t('admin.displayName')}</th>
                <th scope="col">{t('admin.description')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <Row
                  key={item.code}
                  item={item}
                  onChange={(next) => list.setData((prev) => (prev ?? []).map((x) => (x.code === next.code ? next : x)))}
                  onRemove={() => list.setData((prev) => (prev ?? []).filter((x) => x.code !== item.code))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
