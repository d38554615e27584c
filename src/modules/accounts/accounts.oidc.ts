// Sign-in through an OpenID Connect provider, such as the national identity service (VNeID):
// the authorization code flow with PKCE, state and nonce, for a confidential client. The provider
// is discovered on first use, so a provider that is down at start does not stop the portal.
import * as oidc from 'openid-client';

export type OidcSettings = {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` describes the rest. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the sign-in button, e.g. "VNeID". */
  name: string;
  scopes: string;
};

/** What the browser carries between leaving for the provider and coming back, in a short-lived cookie. */
export type PendingLogin = { state: string; nonce: string; verifier: string; next: string };

/** The person as the provider vouches for them. */
export type Identity = {
  issuer: string;
  subject: string;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  phoneVerified: boolean;
};

/** The provider could not be reached, or answered something we cannot use. */
export class OidcError extends Error {
  constructor(readonly reason: 'unavailable' | 'rejected', message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const pendingCookie = 'motcua_oidc';
export const callbackPath = '/dang-nhap/oidc/ve';

const isLocalHost = (url: URL) => url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';

export class OidcLogin {
  private config: Promise<oidc.Configuration> | null = null;
  readonly redirectUri: string;

  constructor(readonly settings: OidcSettings, publicUrl: string) {
    this.redirectUri = `${publicUrl}${callbackPath}`;
  }

  get name(): string {
    return this.settings.name;
  }

  private configuration(): Promise<oidc.Configuration> {
    const issuer = new URL(this.settings.issuer);
    this.config ??= oidc
      .discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, {
        // Plain HTTP only for a provider on this machine (development and the test suite).
        execute: issuer.protocol === 'http:' && isLocalHost(issuer) ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((err: unknown) => {
        this.config = null; // try again on the next sign-in
        throw new OidcError('unavailable', `cannot discover ${issuer.href}`, { cause: err });
      });
    return this.config;
  }

  /** Where to send the browser, and what to remember until it comes back. */
  async start(next: string): Promise<{ url: string; pending: PendingLogin }> {
    const config = await this.configuration();
    const pending: PendingLogin = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code the provider sent back for a verified identity. */
  async finish(query: string, pending: PendingLogin): Promise<Identity> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, new URL(`${this.redirectUri}?${query}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw new OidcError('rejected', 'the provider did not complete the sign-in', { cause: err });
    }
    const idClaims = tokens.claims()!;
    // Providers often put the contact details in userinfo rather than in the ID token.
    let claims: Record<string, unknown> = { ...idClaims };
    try {
      claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...idClaims };
    } catch {
      // The ID token alone is enough to sign in.
    }
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const name = text(claims.name) ?? ([text(claims.family_name), text(claims.given_name)].filter(Boolean).join(' ') || null);
    return {
      issuer: config.serverMetadata().issuer,
      subject: idClaims.sub,
      name,
      email: text(claims.email),
      emailVerified: claims.email_verified === true,
      phone: text(claims.phone_number),
      phoneVerified: claims.phone_number_verified === true,
    };
  }
}

export function encodePending(p: PendingLogin): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

export function decodePending(value: string | null): PendingLogin | null {
  if (!value) return null;
  try {
    const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<PendingLogin>;
    if (typeof p.state === 'string' && typeof p.nonce === 'string' && typeof p.verifier === 'string' && typeof p.next === 'string') {
      return { state: p.state, nonce: p.nonce, verifier: p.verifier, next: p.next };
    }
  } catch {
    // a cookie we did not write
  }
  return null;
}
