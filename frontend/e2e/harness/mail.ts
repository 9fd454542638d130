/** Reading the messages captured by the SMTP sink (used by the global setup and the specs). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CapturedEmail {
  to: string;
  from: string;
  subject: string;
  text: string;
  envelopeTo?: string[];
  file?: string;
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(decodeQp(text.replace(/_/g, ' ')), 'latin1');
    return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset).decode(bytes);
  });
}

function decodeQp(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function splitMessage(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at >= 0 ? raw.slice(0, at) : raw;
  const body = at >= 0 ? raw.slice(at).replace(/^\r?\n\r?\n/, '') : '';
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of head.split(/\r?\n/)) {
    if (/^\s/.test(line) && last) headers[last] += ` ${line.trim()}`;
    else {
      const i = line.indexOf(':');
      if (i > 0) {
        last = line.slice(0, i).toLowerCase();
        headers[last] = line.slice(i + 1).trim();
      }
    }
  }
  return { headers, body };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const parts = body.split(`--${boundary}`).slice(1, -1).map((p) => splitMessage(p.replace(/^\r?\n/, '')));
    const plain = parts.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? 'text/plain')) ?? parts[0];
    return plain ? decodeBody(plain.headers, plain.body) : '';
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const charset = /charset="?([^";]+)"?/i.exec(type)?.[1] ?? 'utf-8';
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = Buffer.from(decodeQp(body), 'latin1');
  else bytes = Buffer.from(body, 'latin1');
  return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset).decode(bytes);
}

export function parseEmail(raw: Buffer): CapturedEmail {
  const { headers, body } = splitMessage(raw.toString('latin1'));
  return {
    to: decodeWords(headers.to ?? ''),
    from: decodeWords(headers.from ?? ''),
    subject: decodeWords(headers.subject ?? ''),
    text: decodeBody(headers, body),
  };
}

export function readEmails(dir: string): CapturedEmail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CapturedEmail), file: f }));
}

/** Waits for a message to `to` (case-insensitive) whose text matches `pattern`; returns the match. */
export async function waitForEmailLink(dir: string, to: string, pattern: RegExp, timeoutMs = 30_000): Promise<{ email: CapturedEmail; match: RegExpMatchArray }> {
  const deadline = Date.now() + timeoutMs;
  const want = to.toLowerCase();
  for (;;) {
    const emails = readEmails(dir).filter(
      (e) => e.to.toLowerCase().includes(want) || (e.envelopeTo ?? []).some((r) => r.toLowerCase() === want),
    );
    for (const email of emails.reverse()) {
      const match = email.text.match(pattern);
      if (match) return { email, match };
    }
    if (Date.now() > deadline) {
      throw new Error(`No email to ${to} matching ${pattern} in ${dir} after ${timeoutMs} ms (${readEmails(dir).length} messages captured).`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
