import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { __resetClientForTests, filenameFromDisposition, requestBlob } from '../api/client';
import { tokenStore } from '../api/tokens';
import { I18nProvider } from '../i18n/I18nProvider';
import { GpxDownloadButton } from './GpxDownloadButton';

const GPX = '<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="41.6" lon="-0.8"/></trkseg></trk></gpx>';

interface Call {
  url: string;
  headers: Record<string, string>;
}

/** fetch stub: the download answers with `answer(token)`; the refresh endpoint rotates to A2. */
function stubFetch(answer: (token: string | undefined) => Response): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const headers = (init.headers ?? {}) as Record<string, string>;
      calls.push({ url, headers });
      if (url.startsWith('/api/auth/refresh')) {
        return new Response(JSON.stringify({ success: true, data: { access_token: 'A2', refresh_token: 'R2', token_type: 'bearer', expires_in: 900 }, error: null }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }
      return answer(headers.Authorization?.replace(/^Bearer /, ''));
    }),
  );
  return calls;
}

const gpxResponse = () =>
  new Response(GPX, {
    status: 200,
    headers: {
      'Content-Type': 'application/gpx+xml',
      'Content-Disposition': `attachment; filename="Camino_del_Cid.gpx"; filename*=UTF-8''Camino%20del%20Cid%20%C3%B1.gpx`,
    },
  });
const forbidden = () =>
  new Response(JSON.stringify({ success: false, data: null, error: { code: 'FORBIDDEN', message: 'No tienes permiso', field: null } }), {
    status: 403,
    headers: { 'Content-Type': 'application/json' },
  });
const expired = () =>
  new Response(JSON.stringify({ success: false, data: null, error: { code: 'UNAUTHORIZED', message: 'Token expirado', field: null } }), {
    status: 401,
    headers: { 'Content-Type': 'application/json' },
  });

beforeEach(() => {
  __resetClientForTests();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('requestBlob (file downloads through the API client)', () => {
  it('sends the Bearer token and returns the file with its name', async () => {
    tokenStore.set('A1', 'R1');
    const calls = stubFetch((token) => (token === 'A1' ? gpxResponse() : forbidden()));
    const result = await requestBlob('/gpx/g1/download');
    expect(calls[0].url).toBe('/api/gpx/g1/download');
    expect(calls[0].headers.Authorization).toBe('Bearer A1');
    expect(await result.blob.text()).toBe(GPX);
    expect(result.filename).toBe('Camino del Cid ñ.gpx');
  });

  it('refreshes an expired token once and retries with the new one', async () => {
    tokenStore.set('A1', 'R1');
    const calls = stubFetch((token) => (token === 'A2' ? gpxResponse() : expired()));
    const result = await requestBlob('/gpx/g1/download');
    expect(calls.map((c) => c.url.split('?')[0])).toEqual(['/api/gpx/g1/download', '/api/auth/refresh', '/api/gpx/g1/download']);
    expect(calls[2].headers.Authorization).toBe('Bearer A2');
    expect(tokenStore.access()).toBe('A2');
    expect(await result.blob.text()).toBe(GPX);
  });

  it('turns an error envelope into an ApiError', async () => {
    stubFetch(() => forbidden());
    await expect(requestBlob('/gpx/g1/download')).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('reads file names from Content-Disposition', () => {
    expect(filenameFromDisposition('attachment; filename="a.gpx"')).toBe('a.gpx');
    expect(filenameFromDisposition("attachment; filename=\"x.gpx\"; filename*=UTF-8''Le%C3%B3n.gpx")).toBe('León.gpx');
    expect(filenameFromDisposition('attachment; filename=plain.gpx')).toBe('plain.gpx');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

describe('GpxDownloadButton', () => {
  function renderButton() {
    return render(
      <I18nProvider lang="en">
        <GpxDownloadButton gpxFileId="g1" title="Camino del Cid" />
      </I18nProvider>,
    );
  }

  it('downloads with the token into a blob URL and a temporary <a download>', async () => {
    tokenStore.set('A1', 'R1');
    const calls = stubFetch((token) => (token === 'A1' ? gpxResponse() : forbidden()));
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:http://localhost/gpx-1';
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
    });

    renderButton();
    expect(screen.queryByRole('link', { name: 'Download GPX' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Download GPX' }));

    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(calls[0].headers.Authorization).toBe('Bearer A1');
    expect(clicked[0]).toEqual({ href: 'blob:http://localhost/gpx-1', download: 'Camino del Cid ñ.gpx', attached: true });
    expect(await blobs[0].text()).toBe(GPX);
    // The temporary anchor is gone and the button is usable again.
    expect(document.querySelector('a[download]')).toBeNull();
    expect(screen.getByRole('button', { name: 'Download GPX' })).toBeEnabled();
  });

  it('shows the error when the server refuses', async () => {
    stubFetch(() => forbidden());
    URL.createObjectURL = vi.fn(() => 'blob:never');
    renderButton();
    await userEvent.click(screen.getByRole('button', { name: 'Download GPX' }));
    expect(await screen.findByRole('alert')).not.toBeEmptyDOMElement();
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  });
});
