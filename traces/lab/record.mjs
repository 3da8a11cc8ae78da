#!/usr/bin/env node
// Records the lab captures under traces/: starts the local IdPs and apps for
// one scenario at a time, drives Debian's Chromium through it with
// playwright-core (HAR recorded by the browser context, bodies embedded),
// stops the servers, then tidies the HAR (stable page/frame ids, a comment).
//
//   node record.mjs                 all scenarios
//   node record.mjs oidc-success …  only these
//   LAB_FAST=1 node record.mjs …    skip the real 2-minute wait of
//                                   oidc-cookie-dropped (uses Chromium's
//                                   SameSiteDefaultChecksMethodRigorously
//                                   test feature instead; do not commit that)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HOSTS, SENT_BODIES } from './src/common.mjs';
import { startOidcIdp } from './src/oidc-idp.mjs';
import { startOidcRp } from './src/oidc-rp.mjs';
import { startSamlIdp } from './src/saml-idp.mjs';
import { startSamlSp } from './src/saml-sp.mjs';
import { startSite } from './src/site.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '..');
const FAST = process.env.LAB_FAST === '1';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT = 30_000;
const SCENARIO_TIMEOUT = 6 * 60_000;
const LAX_POST_GRACE_WAIT = 125_000; // Chrome lets a SameSite-less cookie ride a cross-site POST for 2 minutes

// ---------------------------------------------------------------- keys
function makeSigningKey() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-saml-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-subj', '/CN=Lab SAML IdP (throwaway test key)', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  const key = fs.readFileSync(keyFile, 'utf8');
  const cert = fs.readFileSync(certFile, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  return { key, cert };
}

// ---------------------------------------------------------------- helpers
const rp = (p = '/') => `${HOSTS.rp.origin}${p}`;
const sp = (p = '/') => `${HOSTS.sp.origin}${p}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function oidcLogin(page, { login = 'alice@lab.test', password = 'correct horse', waitBefore = 0 } = {}) {
  await page.waitForURL(/127\.0\.0\.1:4000\/interaction\//);
  await page.waitForSelector('input[name=login]');
  if (waitBefore) await sleep(waitBefore);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

async function samlLogin(page, { username = 'alice@lab.test', password = 'correct horse' } = {}) {
  await page.waitForURL(/127\.0\.0\.1:4100\/saml\/sso/);
  await page.waitForSelector('input[name=username]');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

async function expectText(page, text) {
  await page.waitForFunction((t) => document.body && document.body.innerText.includes(t), text, { timeout: STEP_TIMEOUT });
}

// ---------------------------------------------------------------- scenarios
// servers: list of [starter, options]; run: drives the browser.
const SCENARIOS = {
  'oidc-success': {
    servers: ({}) => [[startOidcIdp, {}], [startOidcRp, { responseMode: 'form_post', reqCookieSameSite: 'None' }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page);
      await page.waitForURL(rp('/account'));
      await expectText(page, 'Signed in as');
    },
  },
  'oidc-redirect-mismatch': {
    servers: () => [[startOidcIdp, {}], [startOidcRp, { redirectUri: rp('/signin-oidc') }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await page.waitForURL(/127\.0\.0\.1:4000\/auth/);
      await expectText(page, 'redirect_uri');
    },
  },
  'oidc-consent-prompt': {
    servers: () => [[startOidcIdp, { autoGrant: false }], [startOidcRp, {}]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page);
      await page.waitForSelector('#accept');
      await page.click('#accept');
      await page.waitForURL(rp('/account'));
      await expectText(page, 'Signed in as');
    },
  },
  'oidc-consent-denied': {
    servers: () => [[startOidcIdp, { autoGrant: false }], [startOidcRp, {}]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page);
      await page.waitForSelector('#cancel');
      await page.click('#cancel');
      await page.waitForURL(rp('/callback'));
      await expectText(page, 'access_denied');
    },
  },
  'oidc-state-mismatch': {
    // two tabs: the second sign-in overwrites the app's request cookie, then
    // the first tab finishes and comes back with the first attempt's state
    servers: () => [[startOidcIdp, {}], [startOidcRp, { responseMode: 'query', reqCookieSameSite: 'Lax' }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await page.waitForURL(/127\.0\.0\.1:4000\/interaction\//);
      const tab2 = await ctx.newPage();
      await tab2.goto(rp('/account'));
      await tab2.waitForURL(/127\.0\.0\.1:4000\/interaction\//);
      await page.bringToFront();
      await oidcLogin(page);
      await page.waitForURL(/localhost:3000\/callback/);
      await expectText(page, 'Sign-in failed');
    },
  },
  'oidc-cookie-dropped': {
    // request cookie set without SameSite (Lax by default); the IdP answers
    // with form_post (a cross-site POST). The user spends over two minutes on
    // the login page, so Chrome's "Lax+POST" 2-minute allowance has expired
    // and the cookie is not sent.
    servers: () => [[startOidcIdp, {}], [startOidcRp, { responseMode: 'form_post', reqCookieSameSite: null }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page, { waitBefore: FAST ? 0 : LAX_POST_GRACE_WAIT });
      await page.waitForURL(rp('/callback'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'oidc-redirect-loop': {
    servers: () => [[startOidcIdp, {}], [startOidcRp, { responseMode: 'query', reqCookieSameSite: 'Lax', loseSessions: true }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page);
      await expectText(page, "We couldn't sign you in");
    },
  },
  'oidc-app-500': {
    servers: () => [[startOidcIdp, {}], [startOidcRp, { crashAfterLogin: true }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page);
      await page.waitForURL(rp('/callback'));
      await expectText(page, 'Internal Server Error');
    },
  },
  'oidc-prompt-none-login-required': {
    servers: () => [[startOidcIdp, {}], [startOidcRp, { responseMode: 'query', reqCookieSameSite: 'Lax', silentFirst: true }]],
    async run(ctx, page) {
      await page.goto(rp('/'));
      await page.click('#signin');
      await oidcLogin(page);
      await page.waitForURL(rp('/account'));
      await expectText(page, 'Signed in as');
    },
  },
  'saml-success': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page);
      await page.waitForURL(sp('/account'));
      await expectText(page, 'Signed in as');
    },
  },
  'saml-audience-mismatch': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys, mode: { audience: 'https://localhost:3100/saml/metadata' } }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page);
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'saml-destination-mismatch': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys, mode: { destination: 'http://localhost:3100/sso/saml2/acs' } }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page);
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'saml-clock-skew': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys, mode: { clockOffsetMs: 7 * 60_000 } }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page);
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'saml-inresponseto-mismatch': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await page.waitForURL(/127\.0\.0\.1:4100\/saml\/sso/);
      const tab2 = await ctx.newPage();
      await tab2.goto(sp('/account'));
      await tab2.waitForURL(/127\.0\.0\.1:4100\/saml\/sso/);
      await page.bringToFront();
      await samlLogin(page);
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'saml-unsigned': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys, mode: { unsigned: true } }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page);
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'saml-idp-error': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page, { username: 'bob@lab.test', password: 'battery staple' });
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
    },
  },
  'saml-retry-then-success': {
    servers: ({ keys }) => [[startSamlIdp, { ...keys }], [startSamlSp, { idpCert: keys.cert }]],
    async run(ctx, page) {
      await page.goto(sp('/'));
      await page.click('#signin');
      await samlLogin(page, { password: 'correct horse battery' }); // typo
      await page.waitForURL(sp('/saml/acs'));
      await expectText(page, 'Sign-in failed');
      await sleep(1500);
      await page.click('text=Try again');
      await samlLogin(page);
      await page.waitForURL(sp('/account'));
      await expectText(page, 'Signed in as');
    },
  },
  'plain-browsing': {
    servers: () => [[startSite, {}]],
    async run(ctx, page) {
      await page.goto(`${HOSTS.site.origin}/`);
      await page.waitForSelector('#news li');
      await sleep(500);
      await page.click('#about');
      await page.waitForURL(`${HOSTS.site.origin}/about`);
    },
  },
};

// ---------------------------------------------------------------- HAR tidy
function tidyHar(file, name) {
  const har = JSON.parse(fs.readFileSync(file, 'utf8'));
  // fill in the HTML bodies Chromium discarded (see SENT_BODIES in src/common.mjs)
  const sent = SENT_BODIES.splice(0);
  for (const e of har.log.entries) {
    const c = e.response.content;
    if (c.text || e.response.status === 0 || (e.response.status >= 300 && e.response.status < 400)) continue;
    const i = sent.findIndex((s) => s.method === e.request.method && s.url === e.request.url && s.status === e.response.status);
    if (i < 0) continue;
    const [s] = sent.splice(i, 1);
    c.text = s.body;
    c.size = Buffer.byteLength(s.body);
    c._bodySource = 'lab-server'; // not read back by the browser: the bytes the lab server sent
  }
  const ids = new Map();
  const stable = (kind, id) => {
    if (!id) return id;
    const k = `${kind}:${id}`;
    if (!ids.has(k)) ids.set(k, `${kind}_${[...ids.keys()].filter((x) => x.startsWith(`${kind}:`)).length + 1}`);
    return ids.get(k);
  };
  for (const p of har.log.pages || []) p.id = stable('page', p.id);
  for (const e of har.log.entries) {
    if (e.pageref) e.pageref = stable('page', e.pageref);
    if (e._frameref) e._frameref = stable('frame', e._frameref);
    delete e._monotonicTime;
  }
  har.log.comment = `trace-inspect lab capture "${name}": recorded by traces/lab/record.mjs, Debian Chromium driven by playwright-core, `
    + 'against local test servers (oidc-provider / openid-client / node-saml / lab SAML IdP) on 127.0.0.1 and localhost. '
    + 'All cookies, codes, tokens, keys and assertions are throwaway test values; no real person or service.';
  fs.writeFileSync(file, `${JSON.stringify(har, null, 2)}\n`);
  return har.log.entries.length;
}

// ---------------------------------------------------------------- main
async function withTimeout(promise, ms, what) {
  let t;
  const timer = new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: timed out after ${ms} ms`)), ms); });
  try { return await Promise.race([promise, timer]); } finally { clearTimeout(t); }
}

async function main() {
  const wanted = process.argv.slice(2);
  for (const w of wanted) if (!SCENARIOS[w]) throw new Error(`unknown scenario ${w}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  const keys = makeSigningKey();
  // playwright's launch() gives Chromium a fresh, empty temporary profile
  // (its own --user-data-dir) and removes it on close.
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // keep the captures small: no images (the lab pages use no images or web fonts
    // anyway); a launch flag rather than request interception, which would put
    // Playwright's Fetch-domain routing between the page and the cookie jar
    '--blink-settings=imagesEnabled=false'];
  if (FAST) args.push('--enable-features=SameSiteDefaultChecksMethodRigorously');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  let failures = 0;
  let sharedOidcIdp;
  try {
    for (const name of names) {
      const sc = SCENARIOS[name];
      const harPath = path.join(OUT_DIR, `${name}.har`);
      const running = [];
      let ctx;
      try {
        SENT_BODIES.splice(0);
        for (const [start, opts] of sc.servers({ keys })) {
          if (start === startOidcIdp) {
            sharedOidcIdp ??= await startOidcIdp();
            sharedOidcIdp.setOptions(opts);
          } else {
            running.push(await start(opts));
          }
        }
        ctx = await browser.newContext({ recordHar: { path: harPath, content: 'embed', mode: 'full' } });
        ctx.setDefaultTimeout(STEP_TIMEOUT);
        // Ask for every body as soon as its response arrives: without this the
        // HAR recorder loses the bodies of pages that navigate away at once
        // (the form_post / SAML auto-submit pages).
        ctx.on('response', (r) => { r.body().catch((e) => { if (process.env.LAB_DEBUG) console.error('body lost', r.status(), r.url().slice(0, 80), e.message.split('\n')[0]); }); });
        const page = await ctx.newPage();
        const t0 = Date.now();
        await withTimeout(sc.run(ctx, page), SCENARIO_TIMEOUT, name);
        await ctx.close(); // flushes the HAR
        ctx = undefined;
        const n = tidyHar(harPath, name);
        console.log(`recorded ${name}.har: ${n} entries in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        failures += 1;
        console.error(`FAILED ${name}: ${e.message}${e.cause ? ` (${e.cause.code || e.cause.message})` : ""}`);
      } finally {
        if (ctx) await ctx.close().catch(() => {});
        for (const s of running.reverse()) await s.close();
      }
    }
  } finally {
    await browser.close();
    if (sharedOidcIdp) await sharedOidcIdp.close();
  }
  if (failures) { console.error(`${failures} scenario(s) failed`); process.exitCode = 1; }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
