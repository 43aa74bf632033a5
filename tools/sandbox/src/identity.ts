import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/**
 * The sandbox's identity provider: an RS256 key pair made at sandbox start, its public half
 * served as a JWKS on loopback, and tokens minted for test users. It looks like a Supabase
 * project with asymmetric keys (issuer `<projectUrl>/auth/v1`, JWKS at
 * `<issuer>/.well-known/jwks.json`, audience `authenticated`, roles in `app_metadata.roles`), so
 * the authorizer runs its real Supabase verifier against it with `projectUrl` set to
 * {@link LocalIdentity.projectUrl}.
 *
 * The private key and issuer are written to `<workDir>/identity/identity.json` (mode 0600) so
 * that `npm run sandbox -- --token <role>` in another terminal signs with the running sandbox's
 * key; the file is removed when the sandbox stops, and a new start makes a new key (tokens of an
 * earlier run stop verifying, as after a key rotation).
 */

/** Audience of the tokens (Supabase signs user tokens for `authenticated`). */
export const LOCAL_AUDIENCE = 'authenticated';
/** Dotted path of the roles claim, for the authorizer's `rolesClaim`. */
export const LOCAL_ROLES_CLAIM = 'app_metadata.roles';
/** File under the work dir that lets a second process mint tokens. */
export const IDENTITY_FILE = join('identity', 'identity.json');

/** What {@link mintLocalToken} signs. */
export interface MintOptions {
  /** The user id (`sub`); default `local-user-<role>`. */
  sub?: string;
  roles: readonly string[];
  /** jose duration (`'1h'`, `'15m'`) or seconds from now; default `'1h'`. */
  expiresIn?: string | number;
  /** `nbf` as epoch seconds (for not-yet-valid tokens in tests). */
  notBefore?: number;
}

/** What the identity file holds. */
interface IdentityState {
  issuer: string;
  audience: string;
  kid: string;
  privateJwk: JWK;
}

/** The running identity provider. */
export interface LocalIdentity {
  /** `http://127.0.0.1:<port>`: the authorizer's Supabase `projectUrl`. */
  projectUrl: string;
  /** `<projectUrl>/auth/v1`: the tokens' `iss`. */
  issuer: string;
  audience: string;
  rolesClaim: string;
  /** `<issuer>/.well-known/jwks.json` (also served at `/.well-known/jwks.json`). */
  jwksUrl: string;
  /** Signs a token for a test user. */
  mintToken(options: MintOptions): Promise<string>;
  /** Stops the server and removes the identity file. */
  close(): Promise<void>;
}

/**
 * Starts the local identity provider on 127.0.0.1 (a free port) and writes the identity file.
 *
 * @example
 * const identity = await startLocalIdentity({ workDir });
 * const token = await identity.mintToken({ roles: ['member'] });
 */
export async function startLocalIdentity(options: {
  workDir: string;
  port?: number;
}): Promise<LocalIdentity> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwks = JSON.stringify({ keys: [publicJwk] });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method === 'GET' && /^(\/auth\/v1)?\/\.well-known\/jwks\.json$/.test(path)) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
      return res.end(jwks);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `No ${path} here: the JWKS is at /.well-known/jwks.json` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const projectUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${projectUrl}/auth/v1`;
  const state: IdentityState = {
    issuer,
    audience: LOCAL_AUDIENCE,
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
  };
  const file = join(options.workDir, IDENTITY_FILE);
  await mkdir(join(options.workDir, 'identity'), { recursive: true });
  await writeFile(file, JSON.stringify(state), { mode: 0o600 });

  return {
    projectUrl,
    issuer,
    audience: LOCAL_AUDIENCE,
    rolesClaim: LOCAL_ROLES_CLAIM,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    mintToken: (mint) => sign(state, mint),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await rm(file, { force: true });
    },
  };
}

/**
 * Signs a token with the key of the sandbox running on `workDir` (read from its identity file).
 *
 * @throws {Error} when no sandbox with the gateway runs on that work dir.
 * @example
 * await mintLocalToken('dist/sandbox', { roles: ['member'] });
 */
export async function mintLocalToken(workDir: string, options: MintOptions): Promise<string> {
  const file = join(workDir, IDENTITY_FILE);
  if (!existsSync(file))
    throw new Error(
      `No running sandbox identity in ${file}: start the sandbox with the gateway first ` +
        '(npm run sandbox -- --gateway in another terminal, same --work-dir), then ask for the token again.',
    );
  return sign(JSON.parse(await readFile(file, 'utf8')) as IdentityState, options);
}

async function sign(state: IdentityState, options: MintOptions): Promise<string> {
  const key = await importJWK(state.privateJwk, 'RS256');
  const sub = options.sub ?? `local-user-${options.roles[0] ?? 'none'}`;
  const jwt = new SignJWT({
    role: 'authenticated',
    email: `${sub}@sandbox.local`,
    app_metadata: { roles: [...options.roles] },
  })
    .setProtectedHeader({ alg: 'RS256', kid: state.kid, typ: 'JWT' })
    .setIssuer(state.issuer)
    .setAudience(state.audience)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h');
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(key);
}
