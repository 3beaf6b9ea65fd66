// Sign-in: demo identities (embedded), OpenID Connect with PKCE (production) or a pasted token.
import { decodeClaims, session } from './api.js';

const PENDING = 'community.oidc.pending';
const LOGOUT = 'community.oidc.logout';
let configPromise = null;

/** GET /auth/config: {"mode": "demo" | "oidc" | "token", ...}. */
export function signInConfig() {
  if (!configPromise) {
    configPromise = fetch('/auth/config', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : { mode: 'token' }))
      .catch(() => ({ mode: 'token' }));
  }
  return configPromise;
}

/** The embedded platform's demo people (each with a token). */
export async function demoIdentities() {
  const response = await fetch('/auth/demo-identities', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** Why a token cannot be used, or null: it must be a JWT that has not expired. */
export function tokenProblem(token) {
  const claims = decodeClaims(token.trim());
  if (!claims) return 'signin.token.malformed';
  if (claims.exp && claims.exp * 1000 < Date.now()) return 'signin.token.expired';
  return null;
}

/** Keep a token for this tab. */
export function signInWithToken(token) {
  session.set(token.trim());
}

/** The current claims if the token is still valid, else null (and the token is dropped). */
export function currentClaims() {
  const claims = session.claims();
  if (!claims) return null;
  if (claims.exp && claims.exp * 1000 < Date.now()) {
    session.clear();
    return null;
  }
  return claims;
}

function base64url(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(size = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

/** The S256 code challenge of a PKCE verifier (RFC 7636 §4.2). */
export async function codeChallenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function discover(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const document = await response.json();
  if (!document.authorization_endpoint || !document.token_endpoint) {
    throw new Error('the discovery document names no authorization or token endpoint');
  }
  return document;
}

function redirectUri(base) {
  return `${location.origin}${base}/`;
}

/** Leave for the provider's sign-in page (authorization code flow with PKCE, S256). */
export async function beginOidc(config, base, returnTo) {
  const provider = await discover(config.issuer);
  const verifier = randomString(48);
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({
    verifier, state, nonce, returnTo, base, tokenEndpoint: provider.token_endpoint,
    clientId: config.client_id, endSession: provider.end_session_endpoint || null,
  }));
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: config.client_id, redirect_uri: redirectUri(base),
    scope: config.scope || 'openid', state, nonce,
    code_challenge: await codeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Back from the provider (?code=&state= or ?error=): exchange the code for a token.
 * Returns the path to go to, null when this is not a callback; throws with a reason.
 */
export async function completeOidc() {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname);
  if (!pending || pending.state !== params.get('state')) throw new Error('signin.oidc.state');
  if (params.has('error')) throw new Error(params.get('error_description') || params.get('error'));
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'),
      redirect_uri: redirectUri(pending.base), client_id: pending.clientId,
      code_verifier: pending.verifier,
    }).toString(),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) {
    throw new Error(answer.error_description || answer.error || `token endpoint answered ${response.status}`);
  }
  if (answer.id_token) {
    const idClaims = decodeClaims(answer.id_token);
    if (idClaims && idClaims.nonce && idClaims.nonce !== pending.nonce) throw new Error('signin.oidc.nonce');
  }
  session.set(answer.access_token);
  if (pending.endSession) {
    sessionStorage.setItem(LOGOUT, JSON.stringify({ url: pending.endSession, clientId: pending.clientId }));
  }
  return pending.returnTo || `${pending.base}/`;
}

/** Forget the token; with OpenID Connect, also end the provider's session. */
export function signOut(base) {
  session.clear();
  const logout = JSON.parse(sessionStorage.getItem(LOGOUT) || 'null');
  sessionStorage.removeItem(LOGOUT);
  if (logout) {
    const url = new URL(logout.url);
    url.searchParams.set('client_id', logout.clientId);
    url.searchParams.set('post_logout_redirect_uri', `${location.origin}${base}/`);
    location.assign(url.toString());
    return true;
  }
  return false;
}
