/** Codes of the OAuth web-server flow awaiting their exchange, and the refresh tokens exchanges minted (state of one org). */
import { randomBytes } from 'node:crypto';

/** An authorization code lives 15 minutes and works once [DOC]. */
export const CODE_TTL_MS = 15 * 60 * 1000;

export interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  expiresAt: number;
}

/** Issued codes and the refresh tokens minted by the web-server flow (each consent gets its own, as in Salesforce). */
export class AuthorizationCodes {
  private readonly codes = new Map<string, PendingCode>();
  readonly refreshTokens = new Set<string>();

  issue(grant: PendingCode): string {
    // Real codes are base64 with padding ("aPrx…=="), so a client must URL-decode the callback's query.
    const code = 'aPrx' + randomBytes(48).toString('base64');
    this.codes.set(code, grant);
    return code;
  }

  /** The code's grant, once: a second use (or an expired code) finds nothing. */
  take(code: string): PendingCode | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }
}
