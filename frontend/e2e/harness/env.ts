/**
 * Settings of the end-to-end harness, all overridable through the environment.
 *
 *   E2E_BACKEND_CMD   shell command that starts the real backend; the harness runs it (cwd:
 *                     frontend/) with the backend settings below and waits for /health.
 *   E2E_API_URL       URL of a backend that is already running (used when no command is given).
 *   E2E_API_PORT      port the started backend must listen on (default 8765); also exported
 *                     to the command as $E2E_API_PORT.
 *   E2E_WEB_PORT      port of the web app under test (vite preview of a fresh build; 4317).
 *   E2E_SMTP_PORT     port of the harness's SMTP sink (default 2525).
 *   E2E_MAIL_DIR      where the sink writes messages (default frontend/.e2e/mail).
 *   E2E_STRICT=1      fail (instead of skip) flow steps whose backend routes are missing.
 *   E2E_WORKERS       spec files run at once (playwright.config.ts; default 2).
 *   E2E_ADMIN_USERNAME / E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD
 *                     the administrator the specs log in as (the admin page).  The backend
 *                     command receives them and must create that account (`test:e2e:local`
 *                     runs backend/scripts/create_admin.py); with E2E_API_URL it must exist.
 */
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

export const harness = {
  root,
  workDir: resolve(process.env.E2E_WORK_DIR || resolve(root, '.e2e')),
  webPort: Number(process.env.E2E_WEB_PORT || 4317),
  apiPort: Number(process.env.E2E_API_PORT || 8765),
  smtpPort: Number(process.env.E2E_SMTP_PORT || 2525),
  backendCmd: process.env.E2E_BACKEND_CMD || '',
  apiUrl: (process.env.E2E_API_URL || '').replace(/\/$/, ''),
  strict: process.env.E2E_STRICT === '1',
  admin: {
    username: process.env.E2E_ADMIN_USERNAME || 'e2e_admin',
    email: process.env.E2E_ADMIN_EMAIL || 'e2e_admin@example.com',
    password: process.env.E2E_ADMIN_PASSWORD || 'Admin#E2e-2024',
  },
  get mailDir() {
    return resolve(process.env.E2E_MAIL_DIR || resolve(this.workDir, 'mail'));
  },
  get webUrl() {
    return `http://127.0.0.1:${this.webPort}`;
  },
  screenshotsDir: resolve(root, 'test-results', 'screenshots'),
};

/** The backend URL the specs use: set by the global setup once a backend is up. */
export function backendUrl(): string | null {
  return process.env.E2E_BACKEND_URL || null;
}
