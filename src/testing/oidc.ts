// An OpenID Connect provider in the test process (panva's oidc-provider, the certified
// implementation), standing in for VNeID. Whoever the test names with `signInAs` is the person
// who "signs in" at the provider; `null` makes the person cancel.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export type PersonClaims = {
  name?: string; email?: string; email_verified?: boolean; phone_number?: string; phone_number_verified?: boolean;
};

export type TestIdentityProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signInAs(subject: string | null): void;
  close(): Promise<void>;
};

export async function startIdentityProvider(people: Record<string, PersonClaims>, redirectUri: string): Promise<TestIdentityProvider> {
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'motcua-test';
  const clientSecret = 'a-client-secret-for-the-test-suite';
  const scope = 'openid profile email phone';

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'], phone: ['phone_number', 'phone_number_verified'] },
    findAccount: async (_ctx, sub) => {
      const person = people[sub];
      return person ? { accountId: sub, claims: async () => ({ sub, ...person }) } : undefined;
    },
    // Consent is taken as given: the test is about the portal's side of the flow.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(scope);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: false } },
  });

  let subject: string | null = null;
  const callback = provider.callback();
  handler = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      const result = subject
        ? { login: { accountId: subject } }
        : { error: 'access_denied', error_description: 'The person cancelled the sign-in' };
      provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false }).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    void callback(req, res);
  };

  return {
    issuer, clientId, clientSecret,
    signInAs: (s) => void (subject = s),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A browser's visit to the provider: follows its redirects with its cookies until it sends the browser back to `home`. */
export async function visitProvider(start: string, home: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(home)) return url;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the provider');
}
