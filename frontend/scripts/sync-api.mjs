#!/usr/bin/env node
// Re-exports the backend's OpenAPI schema into src/api/openapi.json, then regenerates
// src/api/schema.d.ts.  Uses backend/scripts/export_openapi.py <out>, run by
// $PYTHON, or backend/.venv/bin/python when it exists, or python3.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const backend = resolve(process.env.BACKEND_DIR || join(root, '..', 'backend'));
const script = join(backend, 'scripts', 'export_openapi.py');
if (!existsSync(script)) {
  console.error(`sync:api: ${script} does not exist yet.`);
  process.exit(1);
}
const venvPython = join(backend, '.venv', 'bin', 'python');
const python = process.env.PYTHON || (existsSync(venvPython) ? venvPython : 'python3');
const out = join(root, 'src', 'api', 'openapi.json');
execFileSync(python, [script, out], {
  cwd: backend,
  stdio: 'inherit',
  env: { SECRET_KEY: 'openapi-export-only-0123456789abcdef0123', ...process.env },
});
execFileSync(process.execPath, [join(root, 'scripts', 'gen-api.mjs')], { stdio: 'inherit' });
