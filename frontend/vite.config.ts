/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.VITE_API_PROXY_TARGET || 'http://127.0.0.1:8000';

/** `/api/auth/login` in the browser is `/auth/login` on the backend (nginx does the same). */
const apiProxy = {
  '/api': {
    target: apiTarget,
    changeOrigin: true,
    rewrite: (path: string) => path.replace(/^\/api(?=\/|$)/, '') || '/',
  },
};

/** Which named chunk a module belongs to (vendor, forms, maps); null lets Vite decide. */
export function chunkFor(id: string): string | null {
  if (!id.includes('node_modules')) return null;
  if (/[\\/]node_modules[\\/]leaflet[\\/]/.test(id)) return 'maps';
  if (/[\\/]node_modules[\\/](react-hook-form|zod|@hookform|@standard-schema)[\\/]/.test(id)) return 'forms';
  return 'vendor';
}

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: apiProxy,
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: apiProxy,
  },
  build: {
    sourcemap: false,
    target: 'es2022',
    cssCodeSplit: true,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      output: {
        // Vite 8 (Rolldown) replacement for Rollup's manualChunks: three named groups.
        // `vendor` has the highest priority so shared dependencies (React) stay in it
        // rather than being pulled into `forms`/`maps` with the libraries that import them.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: (id: string) => chunkFor(id) === 'vendor', priority: 30 },
            { name: 'forms', test: (id: string) => chunkFor(id) === 'forms', priority: 20 },
            { name: 'maps', test: (id: string) => chunkFor(id) === 'maps', priority: 10 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // form tests type into many fields; on a loaded 2-core CI machine 5 s is too tight
    testTimeout: 30_000,
  },
});
