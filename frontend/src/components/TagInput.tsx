import { useId, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/core';

interface Props {
  value: string[];
  onChange: (tags: string[]) => void;
  suggestions?: string[];
  max?: number;
  label: string;
  error?: string;
  help?: string;
}

/** Chips input: Enter or comma adds a tag, Backspace on an empty box removes the last one. */
export function TagInput({ value, onChange, suggestions = [], max = 10, label, error, help }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState('');
  const normalized = new Set(value.map((v) => v.trim().toLowerCase()));

  const add = (raw: string) => {
    const tag = raw.trim().replace(/^#/, '').slice(0, 50);
    if (!tag || normalized.has(tag.toLowerCase()) || value.length >= max) {
      setDraft('');
      return;
    }
    onChange([...value, tag]);
    setDraft('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add(draft);
    } else if (event.key === 'Backspace' && !draft && value.length) {
      onChange(value.slice(0, -1));
    }
  };

  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="tag-input">
        <ul className="tag-input__chips">
          {value.map((tag) => (
            <li key={tag} className="chip">
              <span>#{tag}</span>
              <button type="button" className="chip__remove" aria-label={t('editor.tagRemove', { tag })} onClick={() => onChange(value.filter((v) => v !== tag))}>
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          value={draft}
          list={`${id}-suggestions`}
          onChange={(e) => {
            const v = e.target.value;
            if (v.endsWith(',')) add(v.slice(0, -1));
            else setDraft(v);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => draft && add(draft)}
          disabled={value.length >= max}
          aria-describedby={`${id}-help ${id}-error`}
          aria-invalid={Boolean(error)}
          maxLength={50}
        />
        <datalist id={`${id}-suggestions`}>
          {suggestions
            .filter((s) => !normalized.has(s.toLowerCase()))
            .slice(0, 20)
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      </div>
      {help && (
        <p id={`${id}-help`} className="field__help">
          {help} ({value.length}/{max})
        </p>
      )}
      <p id={`${id}-error`} className="field__error" role={error ? 'alert' : undefined}>
        {error}
      </p>
    </div>
  );
}
