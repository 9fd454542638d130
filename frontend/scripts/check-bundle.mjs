#!/usr/bin/env node
// Measures dist/ after `npm run build` and fails when it is over budget:
//   total uncompressed ≤ 1.5 MB, total gzipped ≤ 500 KB (decimal units, the stricter reading),
//   and no source maps shipped.  Budgets can be tightened with BUNDLE_MAX_BYTES / BUNDLE_MAX_GZIP_BYTES.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const MAX_RAW = Number(process.env.BUNDLE_MAX_BYTES || 1_500_000);
const MAX_GZIP = Number(process.env.BUNDLE_MAX_GZIP_BYTES || 500_000);

if (!existsSync(join(dist, 'index.html'))) {
  console.error('check:bundle: dist/index.html not found; run `npm run build` first.');
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(dist).map((path) => {
  const data = readFileSync(path);
  return { file: relative(dist, path), raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
});
files.sort((a, b) => b.raw - a.raw);

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const totalRaw = files.reduce((s, f) => s + f.raw, 0);
const totalGzip = files.reduce((s, f) => s + f.gzip, 0);
const width = Math.max(...files.map((f) => f.file.length), 10);

console.log(`${'file'.padEnd(width)}  ${'size'.padStart(10)}  ${'gzip'.padStart(10)}`);
for (const f of files) console.log(`${f.file.padEnd(width)}  ${kb(f.raw).padStart(10)}  ${kb(f.gzip).padStart(10)}`);
console.log(`${'TOTAL'.padEnd(width)}  ${kb(totalRaw).padStart(10)}  ${kb(totalGzip).padStart(10)}`);
console.log(`budget: ${kb(MAX_RAW)} uncompressed, ${kb(MAX_GZIP)} gzipped; ${files.length} files`);

const problems = [];
const maps = files.filter((f) => f.file.endsWith('.map'));
if (maps.length) problems.push(`source maps must not ship: ${maps.map((f) => f.file).join(', ')}`);
if (totalRaw > MAX_RAW) problems.push(`uncompressed total ${kb(totalRaw)} exceeds ${kb(MAX_RAW)}`);
if (totalGzip > MAX_GZIP) problems.push(`gzipped total ${kb(totalGzip)} exceeds ${kb(MAX_GZIP)}`);
for (const name of ['vendor', 'forms', 'maps']) {
  if (!files.some((f) => new RegExp(`^assets/${name}-[\\w-]+\\.js$`).test(f.file))) problems.push(`expected a "${name}" chunk`);
}

if (problems.length) {
  for (const p of problems) console.error(`check:bundle: FAIL: ${p}`);
  process.exit(1);
}
console.log('check:bundle: OK');
