/**
 * A tiny SMTP sink for the end-to-end tests: accepts every message and writes it to a
 * directory as `<n>.eml` plus `<n>.json` ({to, from, subject, text}).  No TLS, no auth:
 * point the backend at it with SMTP_HOST=127.0.0.1, SMTP_PORT=<port>, SMTP_TLS=false.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseEmail } from './mail';

export interface SmtpSink {
  port: number;
  close: () => Promise<void>;
}

export function startSmtpSink(dir: string, port: number, host = '127.0.0.1'): Promise<SmtpSink> {
  mkdirSync(dir, { recursive: true });
  let counter = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('latin1'); // keep bytes as they are; decoded per MIME later
    let buffer = '';
    let inData = false;
    let data: string[] = [];
    let rcpt: string[] = [];
    let from = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 contravento-e2e-sink ESMTP');

    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let index: number;
      while ((index = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            counter += 1;
            const name = `${Date.now()}-${String(counter).padStart(4, '0')}`;
            const raw = data.join('\r\n');
            writeFileSync(join(dir, `${name}.eml`), Buffer.from(raw, 'latin1'));
            const parsed = parseEmail(Buffer.from(raw, 'latin1'));
            writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...parsed, envelopeFrom: from, envelopeTo: rcpt }, null, 2));
            data = [];
            reply('250 2.0.0 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          reply('250-contravento-e2e-sink');
          reply('250-8BITMIME');
          reply('250-SMTPUTF8');
          reply('250 SIZE 52428800');
        } else if (verb === 'HELO') reply('250 contravento-e2e-sink');
        else if (verb === 'MAIL') {
          from = line.replace(/^MAIL FROM:\s*/i, '').replace(/[<>]/g, '').split(' ')[0];
          rcpt = [];
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          rcpt.push(line.replace(/^RCPT TO:\s*/i, '').replace(/[<>]/g, '').split(' ')[0]);
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          rcpt = [];
          data = [];
          reply('250 ok');
        } else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 5.5.2 not implemented');
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            sockets.forEach((s) => s.destroy());
            server.close(() => done());
          }),
      });
    });
  });
}
