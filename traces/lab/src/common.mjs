// Shared helpers for the lab servers: listening/closing, tiny HTML layout,
// cookie parsing. Everything listens on loopback only.
import http from 'node:http';

export const HOSTS = {
  // The apps live on "localhost", the IdPs on "127.0.0.1": two different
  // sites for Chromium, so IdP -> app navigations are really cross-site and
  // SameSite rules apply to the app's cookies.
  rp: { origin: 'http://localhost:3000', port: 3000 },
  oidcIdp: { origin: 'http://127.0.0.1:4000', port: 4000 },
  sp: { origin: 'http://localhost:3100', port: 3100 },
  samlIdp: { origin: 'http://127.0.0.1:4100', port: 4100 },
  site: { origin: 'http://localhost:3200', port: 3200 },
};

/**
 * Every HTML body the lab servers send: { method, url, status, body }.
 * Chromium discards the body of a page that navigates away while it is still
 * loading (the form_post / SAML auto-submit pages), so the HAR recorder
 * cannot read it; record.mjs fills those few bodies in from this log.
 */
export const SENT_BODIES = [];

function logBodies(handler) {
  return (req, res) => {
    const chunks = [];
    const { write, end } = res;
    res.write = function (chunk, ...rest) { if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk)); return write.call(this, chunk, ...rest); };
    res.end = function (chunk, ...rest) {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
      const type = String(res.getHeader('content-type') || '');
      if (type.startsWith('text/html') && (res.statusCode < 300 || res.statusCode >= 400)) {
        SENT_BODIES.push({ method: req.method, url: `http://${req.headers.host}${req.url}`, status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') });
      }
      return end.call(this, chunk, ...rest);
    };
    handler(req, res);
  };
}

/** Start `handler` (express app or request listener) on 127.0.0.1:port. */
export function listen(handler, port) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(logBodies(handler));
    const sockets = new Set();
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({
        server,
        close: () => new Promise((r) => {
          server.close(() => r());
          for (const s of sockets) s.destroy();
        }),
      });
    });
  });
}

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function page(title, body, { css = '/static/site.css' } = {}) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${css ? `<link rel="stylesheet" href="${css}">` : ''}
</head>
<body>
${body}
</body>
</html>
`;
}

export const SITE_CSS = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:40em;color:#222}
h1{font-weight:400}.err{color:#a00}pre{white-space:pre-wrap;background:#f5f5f5;padding:.5em}
button,input{font-size:1em;margin:.2em 0}`;

export function parseCookies(header) {
  const out = {};
  for (const part of String(header || '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function randomId(bytes = 16) {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}
