import { UserSchema, type UpdateProfileInput, type User } from '@slipway/events';
import {
  BadRequestError,
  NotFoundError,
  UnauthorizedError,
  UpstreamUnavailableError,
  UsersConfigurationError,
} from './errors';

/**
 * The internal user service over HTTPS, called with the caller's own token: `GET /users/{id}`
 * and `PATCH /users/{id}`, JSON both ways. The service decides who may read or change what; this
 * client forwards the token, bounds every call by a timeout, retries an idempotent read once,
 * and maps each HTTP outcome to the GraphQL error clients see (errors.ts).
 */

/** `fetch`'s shape (the global one; tests pass their own). */
export type Fetch = typeof fetch;

/** How the client calls the service. */
export interface UserServiceOptions {
  /** Base URL from {@link parseServiceBaseUrl}. */
  baseUrl: URL;
  /** Longest wait for one answer, in ms: below the Lambda's timeout, which is below AppSync's. */
  timeoutMs: number;
  /** Pause before the one retry of a read, in ms (default 100). */
  retryDelayMs?: number;
  fetch?: Fetch;
}

/** One call's limits. */
export interface CallOptions {
  /** The caller's `Authorization` header value as AppSync received it. */
  authorization: string | undefined;
  /**
   * Time left for the whole field, in ms (the invocation's remaining time less a margin): no
   * attempt waits past it, and a retry that could not finish in it is not started.
   */
  budgetMs?: number;
}

/** Hosts an `http://` base URL may name: the sandbox's stub service on this machine. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The user service's base URL, checked: `https://` (the token travels in it), or `http://` to a
 * loopback host only (the sandbox's stub service); no credentials, query or fragment.
 *
 * @throws {UsersConfigurationError} naming `source` (the parameter) and what to store instead.
 * @example parseServiceBaseUrl('https://users.internal.example.com/v1', '/slipway/dev/users/service-url')
 */
export function parseServiceBaseUrl(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (error) {
    throw new UsersConfigurationError(
      `${source} does not hold a URL: store the user service's base URL, e.g. https://users.internal.example.com/v1`,
      { cause: error },
    );
  }
  const local = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !local)
    throw new UsersConfigurationError(
      `${source} holds a ${url.protocol}// URL: the user service gets the caller's token, so its base URL must be https:// (http:// only to a loopback host, for the sandbox)`,
    );
  if (url.username || url.password || url.search || url.hash)
    throw new UsersConfigurationError(
      `${source} must hold a base URL without credentials, query or fragment, e.g. https://users.internal.example.com/v1`,
    );
  return url;
}

/**
 * `Authorization` for the user service: the caller's bearer token, whether AppSync received it
 * as `Bearer <token>` or bare (Cognito user pool clients send the JWT alone).
 *
 * @throws {UnauthorizedError} when the request carried no token.
 */
export function bearerAuthorization(header: string | undefined): string {
  const value = header?.trim() ?? '';
  const token = /^bearer(\s|$)/i.test(value) ? value.replace(/^bearer\s*/i, '') : value;
  if (!token || /\s/.test(token))
    throw new UnauthorizedError(
      'The request carried no bearer token in Authorization: sign in and send the token',
    );
  return `Bearer ${token}`;
}

/** The user service, as the resolver calls it. */
export interface UserService {
  /** The user, or `null` when the service knows none (404). Retried once when unavailable. */
  getUser(id: string, options: CallOptions): Promise<User | null>;
  /** The profile as stored after the change. Never retried: a change is not idempotent here. */
  updateProfile(input: UpdateProfileInput, options: CallOptions): Promise<User>;
}

/**
 * A client of the user service.
 *
 * @example
 * const users = createUserService({ baseUrl, timeoutMs: 3000 });
 * await users.getUser('u-1', { authorization: event.request.headers.authorization });
 */
export function createUserService(options: UserServiceOptions): UserService {
  const doFetch = options.fetch ?? fetch;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const urlOf = (id: string) =>
    new URL(
      `${options.baseUrl.pathname.replace(/\/$/, '')}/users/${encodeURIComponent(id)}`,
      options.baseUrl,
    );

  /** One request, bounded by `timeoutMs` (the timeout, or less when the budget is shorter). */
  async function call(
    what: string,
    url: URL,
    init: RequestInit,
    timeoutMs: number,
  ): Promise<Response> {
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as Error).name;
      // AbortSignal.timeout rejects with a TimeoutError DOMException; a refused or reset
      // connection makes undici's fetch reject with TypeError("fetch failed", { cause }).
      const reason =
        name === 'TimeoutError' || name === 'AbortError'
          ? `did not answer within ${timeoutMs} ms`
          : `could not be reached (${errorCode(error)})`;
      throw new UpstreamUnavailableError(`The user service ${reason} for ${what}: try again`, {
        cause: error,
      });
    }
  }

  async function outcome(what: string, response: Response): Promise<User | null> {
    const status = response.status;
    if (status === 404) return null;
    if (status === 401 || status === 403)
      throw new UnauthorizedError(
        `The user service refused the caller's token for ${what} (${status}): sign in again or ask for access`,
      );
    if (status === 400 || status === 409 || status === 422)
      throw new BadRequestError(
        `The user service refused ${what} (${status}): ${await problemOf(response)}`,
      );
    if (status === 429 || status >= 500)
      throw new UpstreamUnavailableError(
        `The user service answered ${status} for ${what}: try again`,
      );
    if (status !== 200)
      throw new UpstreamUnavailableError(
        `The user service answered an unexpected ${status} for ${what}`,
      );
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new UpstreamUnavailableError(`The user service answered ${what} with a non-JSON body`, {
        cause: error,
      });
    }
    const parsed = UserSchema.safeParse(body);
    if (!parsed.success)
      throw new UpstreamUnavailableError(
        `The user service answered ${what} with no valid user (${parsed.error.issues
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')})`,
        { cause: parsed.error },
      );
    return parsed.data;
  }

  /** The wait for one attempt: the timeout, or the budget left when that is shorter. */
  const boundOf = (deadline: number) =>
    Math.max(1, Math.min(options.timeoutMs, Math.floor(deadline - Date.now())));

  return {
    async getUser(id, { authorization, budgetMs }) {
      const headers = {
        authorization: bearerAuthorization(authorization),
        accept: 'application/json',
      };
      const what = `user ${id}`;
      const deadline = Date.now() + (budgetMs ?? Number.POSITIVE_INFINITY);
      const attempt = async (timeoutMs: number) =>
        outcome(what, await call(what, urlOf(id), { method: 'GET', headers }, timeoutMs));
      try {
        return await attempt(Math.max(1, Math.min(options.timeoutMs, budgetMs ?? Infinity)));
      } catch (error) {
        // One retry, for this idempotent read only, and only for answers a second try can
        // change (down, slow, 5xx, 429), when the budget still holds a pause and an attempt.
        if (!(error instanceof UpstreamUnavailableError)) throw error;
        if (deadline - Date.now() < retryDelayMs + Math.min(options.timeoutMs, 100)) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        return attempt(boundOf(deadline));
      }
    },

    async updateProfile(input, { authorization, budgetMs }) {
      const headers = {
        authorization: bearerAuthorization(authorization),
        accept: 'application/json',
        'content-type': 'application/json',
      };
      const { id, ...changes } = input;
      const what = `the profile of user ${id}`;
      const response = await call(
        what,
        urlOf(id),
        { method: 'PATCH', headers, body: JSON.stringify(changes) },
        Math.max(1, Math.min(options.timeoutMs, budgetMs ?? Infinity)),
      );
      const user = await outcome(what, response);
      if (user === null)
        throw new NotFoundError(`No user ${id}: check the id (the user service answered 404)`);
      return user;
    },
  };
}

/** `ECONNREFUSED`, `ECONNRESET`, ... from undici's `fetch failed` cause, or the error's name. */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : (error as Error).name;
}

/** The service's own reason (`message` of a JSON body), kept short. */
async function problemOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === 'string' && body.message) return body.message.slice(0, 200);
  } catch {
    // No JSON reason: the status says enough.
  }
  return 'check the input';
}
