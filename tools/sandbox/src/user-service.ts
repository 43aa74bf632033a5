import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stub of the internal user service the users API's glue resolver calls: `GET /users/{id}` and
 * `PATCH /users/{id}` on 127.0.0.1, over plain HTTP (locally only: the resolver's lib accepts
 * `http://` for loopback hosts alone, the deployed base URL must be `https://`). It records every
 * request with the `Authorization` it carried, so tests and the demo can show the caller's token
 * arrived, and can be told to be down (connection refused), slow, or answering 500.
 */

/** A user the stub holds (the users API's `User`). */
export interface StubUser {
  id: string;
  displayName: string;
  email: string;
  bio: string | null;
  updatedAt: string;
}

/** One request the stub received. */
export interface StubRequest {
  method: string;
  path: string;
  /** The `Authorization` header exactly as received, or `undefined`. */
  authorization: string | undefined;
  body?: unknown;
}

/** How the stub answers. */
export type StubBehaviour =
  | { kind: 'normal' }
  /** Waits `delayMs` before answering normally (beyond the resolver's timeout: a slow service). */
  | { kind: 'slow'; delayMs: number }
  /** Answers `status` (e.g. 500) with a JSON error body. */
  | { kind: 'status'; status: number };

/** The running stub. */
export interface UserServiceStub {
  /** `http://127.0.0.1:<port>`: the base URL the sandbox stores in SSM. */
  baseUrl: string;
  /** Every request received, oldest first. */
  readonly requests: readonly StubRequest[];
  /** Forgets the recorded requests. */
  clear(): void;
  /** Changes how the next requests are answered. */
  behave(behaviour: StubBehaviour): void;
  /** Stops listening: connections are refused, as when the service is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** The users the stub starts with. */
export const STUB_USERS: readonly StubUser[] = [
  {
    id: 'u-1',
    displayName: 'Ada Lovelace',
    email: 'ada@example.com',
    bio: null,
    updatedAt: '2026-11-30T09:00:00.000Z',
  },
];

/**
 * Starts the stub on a free loopback port.
 *
 * @example
 * const users = await startUserServiceStub();
 * users.behave({ kind: 'status', status: 500 });
 */
export async function startUserServiceStub(
  options: { users?: readonly StubUser[]; now?: () => Date } = {},
): Promise<UserServiceStub> {
  const users = new Map((options.users ?? STUB_USERS).map((u) => [u.id, { ...u }]));
  const now = options.now ?? (() => new Date());
  const requests: StubRequest[] = [];
  let behaviour: StubBehaviour = { kind: 'normal' };
  const pending = new Set<NodeJS.Timeout>();

  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const raw = await text(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization,
      ...(body !== undefined ? { body } : {}),
    });
    const answer = (status: number, payload: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const current = behaviour;
    if (current.kind === 'status')
      return answer(current.status, { message: `stub told to answer ${current.status}` });
    const respond = () => {
      if (!req.headers.authorization?.startsWith('Bearer '))
        return answer(401, { message: 'no bearer token' });
      const id = /^\/users\/([^/]+)$/.exec(path)?.[1];
      const user = id === undefined ? undefined : users.get(decodeURIComponent(id));
      if (!user) return answer(404, { message: `no user at ${path}` });
      if (req.method === 'GET') return answer(200, user);
      if (req.method === 'PATCH') {
        const changes = (body ?? {}) as Partial<StubUser>;
        if (typeof changes.displayName === 'string') user.displayName = changes.displayName;
        if (changes.bio !== undefined) user.bio = changes.bio;
        user.updatedAt = now().toISOString();
        return answer(200, user);
      }
      answer(405, { message: `${req.method} is not served` });
    };
    if (current.kind === 'slow') {
      const timer = setTimeout(() => {
        pending.delete(timer);
        respond();
      }, current.delayMs);
      pending.add(timer);
      return;
    }
    respond();
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    clear: () => void requests.splice(0),
    behave: (next) => void (behaviour = next),
    down: stop,
    up: () => (server.listening ? Promise.resolve() : listen(port)),
    close: stop,
  };
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
