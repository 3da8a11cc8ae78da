// SAML 2.0 service provider for the lab ("Lab Portal (SAML)"), on
// http://localhost:3100, built on @node-saml/node-saml with its defaults:
// signed Response AND signed Assertion required, zero clock skew,
// Audience = the SP's entityID. On top of node-saml it does what many SPs do:
//   * keeps the pending AuthnRequest ID per browser (cookie -> server-side
//     map) and requires InResponseTo to equal it;
//   * checks Destination / Recipient against the ACS URL (node-saml does not).
import express from 'express';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import { HOSTS, listen, esc, page, SITE_CSS, parseCookies, randomId } from './common.mjs';

export const SP_ENTITY = `${HOSTS.sp.origin}/saml/metadata`;
export const SP_ACS = `${HOSTS.sp.origin}/saml/acs`;
const NS_P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const NS_A = 'urn:oasis:names:tc:SAML:2.0:assertion';

export async function startSamlSp({ idpCert }) {
  let lastRequestId = null;
  const saml = new SAML({
    entryPoint: `${HOSTS.samlIdp.origin}/saml/sso`,
    issuer: SP_ENTITY,
    callbackUrl: SP_ACS,
    idpCert,
    validateInResponseTo: ValidateInResponseTo.always,
    generateUniqueId: () => { lastRequestId = `_${randomId(20)}`; return lastRequestId; },
  });
  const flows = new Map(); // flow cookie -> pending AuthnRequest ID
  const sessions = new Map();

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res, next) => { res.set('Cache-Control', 'no-store'); next(); });
  app.get('/static/site.css', (req, res) => res.set('Cache-Control', 'max-age=3600').type('css').send(SITE_CSS));
  const sessionOf = (req) => sessions.get(parseCookies(req.headers.cookie).lab_sp_session);

  app.get('/', (req, res) => {
    const s = sessionOf(req);
    res.send(page('Lab Portal (SAML)', s
      ? `<h1>Lab Portal (SAML)</h1><p>Signed in as <b>${esc(s.email)}</b>.</p>`
      : `<h1>Lab Portal (SAML)</h1><p><a id="signin" href="/account">Sign in</a></p>`));
  });

  app.get('/account', async (req, res, next) => {
    try {
      const s = sessionOf(req);
      if (s) return res.send(page('My account - Lab Portal (SAML)', `<h1>My account</h1><p id="signed-in">Signed in as <b>${esc(s.email)}</b> (${esc(s.name)}).</p>`));
      const url = await saml.getAuthorizeUrlAsync('/account', undefined, {});
      const flow = randomId(12);
      flows.set(flow, lastRequestId);
      res.append('Set-Cookie', `lab_sp_flow=${flow}; Path=/saml; HttpOnly; SameSite=None; Secure`);
      return res.redirect(302, url);
    } catch (e) { next(e); }
  });

  app.get('/saml/metadata', (req, res) => res.type('application/samlmetadata+xml').send(saml.generateServiceProviderMetadata(null, null)));

  const reject = (res, msg) => res.status(401).send(page('Sign-in failed - Lab Portal (SAML)', `<h1>Sign-in failed</h1>
<p class="err">The SAML response was rejected.</p><pre>${esc(msg)}</pre><p><a href="/account">Try again</a></p>`));

  app.post('/saml/acs', express.urlencoded({ extended: false, limit: '1mb' }), async (req, res, next) => {
    try {
      const flow = parseCookies(req.headers.cookie).lab_sp_flow;
      const expectedId = flow ? flows.get(flow) : undefined;
      const xml = Buffer.from(String(req.body.SAMLResponse || ''), 'base64').toString('utf8');
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      const resp = doc.documentElement;
      const inResponseTo = resp.getAttribute('InResponseTo');
      // per-browser InResponseTo binding (before node-saml consumes its cache entry)
      if (!expectedId) return reject(res, 'No pending sign-in request for this browser (lab_sp_flow cookie missing).');
      if (inResponseTo !== expectedId) {
        return reject(res, `InResponseTo is not valid: the response answers ${inResponseTo}, this browser's pending request is ${expectedId}.`);
      }
      let profile;
      try {
        ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: req.body.SAMLResponse }));
      } catch (e) {
        return reject(res, e.message);
      }
      const dest = resp.getAttribute('Destination');
      if (dest && dest !== SP_ACS) {
        return reject(res, `The response was received at ${SP_ACS} instead of ${dest}`);
      }
      const scd = doc.getElementsByTagNameNS(NS_A, 'SubjectConfirmationData')[0];
      if (scd && scd.getAttribute('Recipient') !== SP_ACS) {
        return reject(res, 'A valid SubjectConfirmation was not found on this Response (Recipient mismatch).');
      }
      flows.delete(flow);
      const sid = randomId(16);
      sessions.set(sid, { email: profile.nameID, name: profile.displayName || profile.nameID });
      res.append('Set-Cookie', 'lab_sp_flow=; Path=/saml; Max-Age=0; SameSite=None; Secure');
      res.append('Set-Cookie', `lab_sp_session=${sid}; Path=/; HttpOnly; SameSite=Lax`);
      const relay = String(req.body.RelayState || '/');
      return res.redirect(302, relay.startsWith('/') ? relay : '/');
    } catch (e) { next(e); }
  });
  void NS_P;
  return listen(app, HOSTS.sp.port);
}
