/**
 * Zod schemas shared by the forms.  Messages are i18n keys, translated when shown, so a
 * visible error follows a language switch.  Rules mirror the contract (§4.3, §4.10).
 */
import { z } from 'zod';

export const SPECIAL_CHARS = '!@#$%^&*(),.?":{}|<>_-+=[]\\/;\'`~';
const specialRe = /[!@#$%^&*(),.?":{}|<>_\-+=[\]\\/;'`~]/;

export const passwordChecks = [
  { key: 'password.rule.length', test: (p: string) => p.length >= 8 },
  { key: 'password.rule.upper', test: (p: string) => /[A-Z]/.test(p) },
  { key: 'password.rule.lower', test: (p: string) => /[a-z]/.test(p) },
  { key: 'password.rule.digit', test: (p: string) => /\d/.test(p) },
  { key: 'password.rule.special', test: (p: string) => specialRe.test(p) },
] as const;

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

/** Registration and reset: 8+ chars, ≤72 bytes, upper, lower, digit and special character. */
export const strongPassword = z
  .string()
  .min(1, 'validation.required')
  .min(8, 'validation.password.min')
  .refine((p) => utf8Length(p) <= 72, 'validation.password.maxBytes')
  .regex(/[A-Z]/, 'validation.password.upper')
  .regex(/[a-z]/, 'validation.password.lower')
  .regex(/\d/, 'validation.password.digit')
  .regex(specialRe, 'validation.password.special');

/** Profile password change: 8+ chars, upper, lower and digit. */
export const profilePassword = z
  .string()
  .min(1, 'validation.required')
  .min(8, 'validation.password.min')
  .regex(/[A-Z]/, 'validation.password.upper')
  .regex(/[a-z]/, 'validation.password.lower')
  .regex(/\d/, 'validation.password.digit');

export const email = z.string().trim().min(1, 'validation.required').email('validation.email');

export const username = z
  .string()
  .trim()
  .min(1, 'validation.required')
  .min(3, 'validation.username.length')
  .max(30, 'validation.username.length')
  .regex(/^[A-Za-z0-9_]+$/, 'validation.username.chars');

export const required = z.string().trim().min(1, 'validation.required');

/** Today as YYYY-MM-DD in the rider's time zone. */
export function todayIso(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export const registerSchema = z
  .object({ username, email, password: strongPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'validation.password.match', path: ['confirm'] });
export type RegisterValues = z.infer<typeof registerSchema>;

export const loginSchema = z.object({ login: required, password: z.string().min(1, 'validation.required') });
export type LoginValues = z.infer<typeof loginSchema>;

export const emailSchema = z.object({ email });
export type EmailValues = z.infer<typeof emailSchema>;

export const resetSchema = z
  .object({ password: strongPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'validation.password.match', path: ['confirm'] });
export type ResetValues = z.infer<typeof resetSchema>;

export const changePasswordSchema = z
  .object({ current_password: z.string().min(1, 'validation.required'), new_password: profilePassword, confirm: z.string() })
  .refine((v) => v.new_password === v.confirm, { message: 'validation.password.match', path: ['confirm'] });
export type ChangePasswordValues = z.infer<typeof changePasswordSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date.invalid');

const optionalNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (Number.isFinite(parseDecimal(v)) && parseDecimal(v) >= min && parseDecimal(v) <= max), message);

/** Accepts both decimal separators ("12,5" and "12.5"); '' is NaN. */
export function parseDecimal(value: string): number {
  const v = value.trim().replace(',', '.');
  return v === '' ? Number.NaN : Number(v);
}

export const locationSchema = z.object({
  name: z.string().trim().min(1, 'validation.location.name').max(200, 'validation.location.name'),
  latitude: optionalNumber(-90, 90, 'validation.latitude'),
  longitude: optionalNumber(-180, 180, 'validation.longitude'),
});

export const tripSchema = z
  .object({
    title: required.max(200, 'validation.title.max'),
    description: required.max(50000, 'validation.description.max'),
    start_date: z.string().min(1, 'validation.required').pipe(isoDate),
    end_date: z.union([z.literal(''), isoDate]),
    distance_km: optionalNumber(0.1, 10000, 'validation.distance.range'),
    difficulty: z.enum(['', 'easy', 'moderate', 'difficult', 'very_difficult', 'extreme']),
    is_private: z.boolean(),
    tags: z.array(z.string().trim().min(1, 'validation.tag.length').max(50, 'validation.tag.length')).max(10, 'validation.tags.max'),
    locations: z.array(locationSchema).max(50, 'validation.locations.max'),
  })
  .superRefine((v, ctx) => {
    if (v.start_date && v.start_date > todayIso()) {
      ctx.addIssue({ code: 'custom', message: 'validation.date.future', path: ['start_date'] });
    }
    if (v.end_date && v.start_date && v.end_date < v.start_date) {
      ctx.addIssue({ code: 'custom', message: 'validation.date.order', path: ['end_date'] });
    }
  });
export type TripFormValues = z.infer<typeof tripSchema>;
