// OIDC identity provider for the lab: panva's oidc-provider with a tiny
// login / consent UI (the same shape as its documented custom-interactions
// example). Listens on http://127.0.0.1:4000.
//
// options.autoGrant (default true): the first-party client "lab-portal" gets
// its grant without a consent screen; false shows the consent page.
// record.mjs keeps one IdP running for all OIDC scenarios (the app's
// server-side token requests would otherwise meet stale keep-alive sockets
// of a previous IdP instance) and changes this option with setOptions().
import express from 'express';
import Provider from 'oidc-provider';
import { HOSTS, listen, esc, page, SITE_CSS } from './common.mjs';

export const OIDC_CLIENT = {
  client_id: 'lab-portal',
  client_secret: 'lab-portal-throwaway-secret',
  client_name: 'Lab Portal',
  redirect_uris: [`${HOSTS.rp.origin}/callback`],
  response_types: ['code'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_basic',
};

const USERS = {
  'alice@lab.test': { password: 'correct horse', name: 'Alice Example' },
};

export async function startOidcIdp(initial = {}) {
  const options = { autoGrant: true, ...initial };
  const issuer = HOSTS.oidcIdp.origin;
  const provider = new Provider(issuer, {
    clients: [OIDC_CLIENT],
    cookies: { keys: ['lab-oidc-cookie-key-throwaway'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { Session: 3600, Interaction: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const u = USERS[sub];
      if (!u) return undefined;
      return { accountId: sub, async claims() { return { sub, email: sub, email_verified: true, name: u.name }; } };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (options.autoGrant && ctx.oidc.client.clientId === OIDC_CLIENT.client_id && ctx.oidc.session.accountId) {
        // first-party app: pre-consented
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      }
      return undefined;
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Sorry, something went wrong</h1>
${Object.entries(out).map(([k, v]) => `<pre><strong>${esc(k)}</strong>: ${esc(v)}</pre>`).join('\n')}`);
    },
  });
  provider.on('server_error', (ctx, err) => console.error('[oidc-idp] server_error', err));

  const app = express();
  app.disable('x-powered-by');
  app.get('/static/site.css', (req, res) => res.type('css').send(SITE_CSS));
  const form = express.urlencoded({ extended: false });

  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const { uid, prompt, params } = await provider.interactionDetails(req, res);
      const client = await provider.Client.find(params.client_id);
      res.set('Cache-Control', 'no-store');
      if (prompt.name === 'login') {
        return res.send(page('Sign in - Lab IdP', `<h1>Sign in</h1>
<p>to continue to <b>${esc(client?.clientName || params.client_id)}</b></p>
<form method="post" action="/interaction/${uid}/login">
<input name="login" type="email" placeholder="you@lab.test" autofocus><br>
<input name="password" type="password" placeholder="Password"><br>
<button type="submit">Sign in</button>
</form>`));
      }
      return res.send(page('Permissions requested - Lab IdP', `<h1>Permissions requested</h1>
<p><b>${esc(client?.clientName || params.client_id)}</b> would like to:</p>
<ul>${String(params.scope || '').split(' ').map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit" id="accept">Accept</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit" id="cancel">Cancel</button></form>`));
    } catch (e) { next(e); }
  });

  app.post('/interaction/:uid/login', form, async (req, res, next) => {
    try {
      const { uid } = await provider.interactionDetails(req, res);
      const u = USERS[req.body.login];
      if (!u || u.password !== req.body.password) {
        return res.status(200).send(page('Sign in - Lab IdP', `<h1>Sign in</h1><p class="err">Your account or password is incorrect.</p>
<form method="post" action="/interaction/${uid}/login"><input name="login" type="email"><br><input name="password" type="password"><br><button type="submit">Sign in</button></form>`));
      }
      await provider.interactionFinished(req, res, { login: { accountId: req.body.login } }, { mergeWithLastSubmission: false });
    } catch (e) { next(e); }
  });

  app.post('/interaction/:uid/confirm', async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const { prompt: { details: d }, params, session: { accountId } } = details;
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId: params.client_id });
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      if (d.missingResourceScopes) for (const [ind, sc] of Object.entries(d.missingResourceScopes)) grant.addResourceScope(ind, sc.join(' '));
      const grantId = await grant.save();
      const consent = details.grantId ? {} : { grantId };
      await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
    } catch (e) { next(e); }
  });

  app.post('/interaction/:uid/abort', async (req, res, next) => {
    try {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
    } catch (e) { next(e); }
  });

  app.use(provider.callback());
  const srv = await listen(app, HOSTS.oidcIdp.port);
  return { ...srv, setOptions(o) { Object.assign(options, { autoGrant: true }, o); } };
}
