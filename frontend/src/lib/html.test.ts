import { describe, expect, it } from 'vitest';
import { htmlToText, plainExcerpt, sanitizeHtml, textToHtml } from './html';

describe('sanitizeHtml', () => {
  it('keeps the allowed tags and drops scripts, handlers and unsafe links', () => {
    const dirty = '<p onclick="x()">Hola <strong>ruta</strong><script>alert(1)</script></p><a href="javascript:alert(1)">x</a><a href="https://osm.org" title="t">map</a><img src=x onerror=alert(1)>';
    const clean = sanitizeHtml(dirty);
    expect(clean).toContain('<p>Hola <strong>ruta</strong></p>');
    expect(clean).not.toMatch(/script|onclick|onerror|javascript|<img/);
    expect(clean).toContain('href="https://osm.org"');
    expect(clean).toContain('rel="noopener noreferrer nofollow"');
  });
  it('unwraps unknown elements but keeps their text', () => {
    expect(sanitizeHtml('<div><span>texto</span></div>')).toBe('texto');
  });
});

describe('text <-> html', () => {
  it('turns paragraphs into <p> and escapes markup', () => {
    expect(textToHtml('Día 1 <ok> & bien\nsegunda línea\n\nDía 2')).toBe('<p>Día 1 &lt;ok&gt; &amp; bien<br>segunda línea</p><p>Día 2</p>');
  });
  it('round-trips the editor text', () => {
    const text = 'Salimos de León & llegamos.\nMucho viento.\n\nAl día siguiente, Astorga.';
    expect(htmlToText(textToHtml(text))).toBe(text);
  });
  it('makes short excerpts', () => {
    expect(plainExcerpt('<p>uno</p><p>dos</p>')).toBe('uno dos');
    expect(plainExcerpt(`<p>${'a'.repeat(300)}</p>`, 20)).toHaveLength(20);
  });
});
