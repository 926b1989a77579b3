/**
 * Builds the RS256-signed assertion of the OAuth JWT bearer flow (salesforce-api.md §5.1):
 * iss = client_id, sub = username, aud = the login host, exp = now + 3 minutes.
 */
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';
import { configError } from '../errors';

export interface JwtClaims {
  clientId: string;
  username: string;
  audience: string;
  /** Seconds since the epoch. */
  nowSeconds?: number;
}

export function buildJwtAssertion(privateKeyPem: string, claims: JwtClaims): string {
  const key = readPrivateKey(privateKeyPem);
  const now = claims.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iss: claims.clientId, sub: claims.username, aud: claims.audience, exp: now + 180 }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/**
 * The `aud` Salesforce expects: login.salesforce.com for production and My Domains,
 * test.salesforce.com for sandboxes; any other host (a local stand-in) is its own audience.
 */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return loginUrl;
}

function readPrivateKey(pem: string): KeyObject {
  // Keys pasted into a JSON form often arrive with their line breaks escaped.
  const text = pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw configError("'private_key' is not a readable PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).");
  }
  if (key.asymmetricKeyType !== 'rsa') throw configError("'private_key' must be an RSA key: Salesforce's JWT bearer flow signs with RS256.");
  return key;
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}
