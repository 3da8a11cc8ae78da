// OIDC relying party for the lab ("Lab Portal"): express + openid-client,
// authorization code flow with PKCE. The authorization request (state, nonce,
// PKCE verifier) is kept in a cookie, as many web apps do.
// Listens on http://localhost:3000 (a different site from the IdP).
//
// Options (one per recorded scenario, see record.mjs):
//   responseMode      'form_post' | 'query'
//   reqCookieSameSite 'None' (sent with Secure) | 'Lax' | null (attribute absent)
//   redirectUri       override the redirect_uri sent to the IdP
//   silentFirst       first try prompt=none, then interactive on login_required
//   loseSessions      the session store never finds a session (redirect loop)
//   crashAfterLogin   token exchange succeeds, then the app fails with a 500
import express from 'express';
import * as oidc from 'openid-client';
import { HOSTS, listen, esc, page, SITE_CSS, parseCookies, randomId } from './common.mjs';
import { OIDC_CLIENT } from './oidc-idp.mjs';

const REQ_COOKIE = 'lab_oidc_req';
const SESSION_COOKIE = 'lab_session';
const MAX_CALLBACKS = 6; // loop guard for the loseSessions mode

export async function startOidcRp(opts = {}) {
  const {
    responseMode = 'form_post',
    reqCookieSameSite = 'None',
    redirectUri = `${HOSTS.rp.origin}/callback`,
    silentFirst = false,
    loseSessions = false,
    crashAfterLogin = false,
  } = opts;

  const config = await oidc.discovery(
    new URL(HOSTS.oidcIdp.origin), OIDC_CLIENT.client_id, undefined,
    oidc.ClientSecretBasic(OIDC_CLIENT.client_secret),
    { execute: [oidc.allowInsecureRequests] },
  );
  const sessions = new Map();
  let callbacks = 0;

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  app.get('/static/site.css', (req, res) => res.set('Cache-Control', 'max-age=3600').type('css').send(SITE_CSS));

  const sessionOf = (req) => {
    const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!id || loseSessions) return undefined; // loseSessions: store lookups always miss
    return sessions.get(id);
  };

  async function challenge(req, res, { prompt } = {}) {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const params = {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_mode: responseMode,
      state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    if (prompt) params.prompt = prompt;
    const saved = Buffer.from(JSON.stringify({ state, nonce, verifier, prompt: prompt || null })).toString('base64url');
    let attrs = 'Path=/; HttpOnly; Max-Age=900';
    if (reqCookieSameSite === 'None') attrs += '; SameSite=None; Secure';
    else if (reqCookieSameSite) attrs += `; SameSite=${reqCookieSameSite}`;
    res.append('Set-Cookie', `${REQ_COOKIE}=${saved}; ${attrs}`);
    res.redirect(302, oidc.buildAuthorizationUrl(config, params).href);
  }

  app.get('/', (req, res) => {
    res.append('Set-Cookie', 'lab_prefs=lang%3Den; Path=/; Max-Age=31536000; SameSite=None; Secure');
    const s = sessionOf(req);
    res.send(page('Lab Portal', s
      ? `<h1>Lab Portal</h1><p>Signed in as <b>${esc(s.email)}</b>.</p><p><a href="/account">My account</a></p>`
      : `<h1>Lab Portal</h1><p>Welcome. <a id="signin" href="/account">Sign in</a></p>`));
  });

  app.get('/account', async (req, res, next) => {
    try {
      const s = sessionOf(req);
      if (s) return res.send(page('My account - Lab Portal', `<h1>My account</h1><p id="signed-in">Signed in as <b>${esc(s.email)}</b> (${esc(s.name)}).</p>`));
      if (loseSessions && callbacks >= MAX_CALLBACKS) {
        return res.status(200).send(page('Sign-in problem - Lab Portal', `<h1>We couldn't sign you in</h1><p class="err">The sign-in did not complete after ${callbacks} attempts. Please contact support.</p>`));
      }
      return challenge(req, res, { prompt: silentFirst ? 'none' : undefined });
    } catch (e) { next(e); }
  });

  const handleCallback = async (req, res, next) => {
    callbacks += 1;
    try {
      const raw = parseCookies(req.headers.cookie)[REQ_COOKIE];
      const params = req.method === 'POST' ? new URLSearchParams(req.body) : new URL(req.originalUrl, HOSTS.rp.origin).searchParams;
      if (params.get('error') === 'login_required' || params.get('error') === 'interaction_required') {
        // the silent attempt failed: start an interactive one
        return challenge(req, res, {});
      }
      if (params.get('error')) {
        return res.status(401).send(page('Sign-in failed - Lab Portal', `<h1>Sign-in failed</h1>
<p class="err">The identity provider returned an error.</p><pre>error: ${esc(params.get('error'))}
error_description: ${esc(params.get('error_description'))}</pre><p><a href="/">Home</a></p>`));
      }
      if (!raw) {
        return res.status(400).send(page('Sign-in failed - Lab Portal', `<h1>Sign-in failed</h1>
<p class="err">The sign-in request could not be found: the ${REQ_COOKIE} cookie was not sent with the callback.</p><p><a href="/">Start again</a></p>`));
      }
      const saved = JSON.parse(Buffer.from(raw, 'base64url').toString());
      const current = req.method === 'POST'
        ? new Request(`${HOSTS.rp.origin}/callback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() })
        : new URL(req.originalUrl, HOSTS.rp.origin);
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: saved.verifier, expectedState: saved.state, expectedNonce: saved.nonce, idTokenExpected: true,
        });
      } catch (e) {
        return res.status(400).send(page('Sign-in failed - Lab Portal', `<h1>Sign-in failed</h1>
<p class="err">The sign-in response was rejected.</p><pre>${esc(e.message)}${e.cause?.message ? `\n${esc(e.cause.message)}` : ''}</pre><p><a href="/">Start again</a></p>`));
      }
      const claims = tokens.claims();
      if (crashAfterLogin) {
        const requestId = randomId(8);
        console.error(`[oidc-rp] provisioning failed for ${claims.sub} (request ${requestId})`);
        return res.status(500).send(page('Error - Lab Portal', `<h1>500 - Internal Server Error</h1>
<p>Something went wrong on our side while setting up your account.</p><p>Request ID: ${requestId}</p>`));
      }
      const sid = randomId(16);
      sessions.set(sid, { email: claims.email, name: claims.name, sub: claims.sub });
      res.append('Set-Cookie', `${REQ_COOKIE}=; Path=/; Max-Age=0`);
      res.append('Set-Cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`);
      return res.redirect(302, '/account');
    } catch (e) { next(e); }
  };
  app.get('/callback', handleCallback);
  app.post('/callback', express.urlencoded({ extended: false }), handleCallback);
  app.get('/signin-oidc', (req, res) => res.status(404).send(page('Not found', '<h1>404</h1>')));
  return listen(app, HOSTS.rp.port);
}
