/**
 * Starts, for the whole run:
 *  1. the SMTP sink (messages → E2E_MAIL_DIR);
 *  2. the backend, when E2E_BACKEND_CMD is set (or uses E2E_API_URL), and waits for /health;
 *  3. a production build of the web app served by `vite preview` on E2E_WEB_PORT, with
 *     /api proxied to that backend (or to nothing: the UI specs mock the API in the browser).
 * Returns the teardown that stops them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { harness } from './harness/env';
import { startSmtpSink } from './harness/smtp-sink';

async function waitForHealth(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`backend command exited with code ${child.exitCode}; see ${join(harness.workDir, 'backend.log')}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`backend at ${url} not healthy after ${timeoutMs} ms (${lastError})`);
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void> | void)[] = [];
  rmSync(harness.screenshotsDir, { recursive: true, force: true });
  mkdirSync(harness.screenshotsDir, { recursive: true });
  mkdirSync(harness.workDir, { recursive: true });
  rmSync(harness.mailDir, { recursive: true, force: true });

  // 1. SMTP sink
  const sink = await startSmtpSink(harness.mailDir, harness.smtpPort);
  cleanups.push(sink.close);
  process.env.E2E_MAIL_DIR = harness.mailDir;

  // 2. Backend
  let backend: string | null = harness.apiUrl || null;
  if (harness.backendCmd) {
    const runDir = join(harness.workDir, 'backend-run');
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(join(runDir, 'storage'), { recursive: true });
    backend = `http://127.0.0.1:${harness.apiPort}`;
    const defaults: Record<string, string> = {
      APP_ENV: 'development',
      SECRET_KEY: 'e2e-only-signing-key-0123456789abcdef0123456789',
      DATABASE_URL: `sqlite+aiosqlite:///${join(runDir, 'e2e.db')}`,
      STORAGE_PATH: join(runDir, 'storage'),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_TLS: 'false',
      SMTP_USER: '',
      SMTP_PASSWORD: '',
      AUTO_VERIFY_EMAIL: 'false',
      FRONTEND_URL: harness.webUrl,
      BACKEND_URL: backend,
      CORS_ORIGINS: harness.webUrl,
      LOG_LEVEL: 'INFO',
      LOG_FORMAT: 'text',
      // Fast hashing and room for the dozen logins/registrations of a run (limits stay on).
      BCRYPT_ROUNDS: '4',
      RATE_LIMIT_LOGIN: '100/15m',
      RATE_LIMIT_REGISTER: '50/1h',
      RATE_LIMIT_API: '1000/1m',
      RATE_LIMIT_UPLOAD: '100/1m',
      E2E_ADMIN_USERNAME: harness.admin.username,
      E2E_ADMIN_EMAIL: harness.admin.email,
      E2E_ADMIN_PASSWORD: harness.admin.password,
    };
    // Values already in the environment win, except the ones that wire the harness together.
    const env: NodeJS.ProcessEnv = { ...defaults, ...process.env, E2E_API_PORT: String(harness.apiPort), E2E_RUN_DIR: runDir };
    for (const key of ['SMTP_HOST', 'SMTP_PORT', 'FRONTEND_URL', 'BACKEND_URL']) env[key] = defaults[key];
    const log = openSync(join(harness.workDir, 'backend.log'), 'w');
    const child = spawn(harness.backendCmd, { shell: true, cwd: harness.root, env, stdio: ['ignore', log, log], detached: true });
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || !child.pid) return done();
          child.once('exit', () => done());
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            done();
          }
          setTimeout(() => {
            try {
              if (child.pid) process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
            done();
          }, 5000).unref();
        }),
    );
    await waitForHealth(backend, Number(process.env.E2E_BACKEND_TIMEOUT_MS || 90_000), child);
  } else if (backend) {
    await waitForHealth(backend, 15_000);
  }
  if (backend) process.env.E2E_BACKEND_URL = backend;

  // 3. The web app: fresh production build + vite preview with the /api proxy.
  process.env.VITE_API_PROXY_TARGET = backend ?? 'http://127.0.0.1:9';
  const vite = await import('vite');
  if (process.env.E2E_SKIP_BUILD !== '1') {
    await vite.build({ root: harness.root, logLevel: 'warn' });
  }
  const server = await vite.preview({ root: harness.root, logLevel: 'warn', preview: { port: harness.webPort, strictPort: true, host: '127.0.0.1' } });
  cleanups.push(() => new Promise<void>((done) => server.httpServer.close(() => done())));

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
