import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { UsersConfigurationError } from './errors';
import { parseServiceBaseUrl } from './user-service';

/**
 * Where the glue resolver finds the user service: the name of the SSM parameter holding its
 * base URL (`USERS_SERVICE_URL_PARAM_NAME`, set by the stacks and the sandbox from the
 * manifest's `read param:users/service-url`) and the per-call timeout
 * (`USER_SERVICE_TIMEOUT_MS`, in the manifest). The URL is a parameter, not a variable, so it
 * can move (a new service endpoint) without redeploying the function.
 */

/** Variable holding the parameter's full name, e.g. `/slipway/dev/users/service-url`. */
export const SERVICE_URL_PARAM_ENV = 'USERS_SERVICE_URL_PARAM_NAME';
/** Variable holding the per-call timeout in ms. */
export const SERVICE_TIMEOUT_ENV = 'USER_SERVICE_TIMEOUT_MS';
/** How long the base URL is cached between SSM reads, in seconds (a change shows within it). */
export const DEFAULT_URL_MAX_AGE_SECONDS = 300;

/** The resolver's configuration. */
export interface UserServiceConfig {
  parameterName: string;
  timeoutMs: number;
}

/**
 * Reads the configuration from the function's environment.
 *
 * @throws {UsersConfigurationError} naming the missing or invalid variable and the fix.
 */
export function userServiceConfigFromEnv(env: NodeJS.ProcessEnv): UserServiceConfig {
  const parameterName = env[SERVICE_URL_PARAM_ENV];
  if (!parameterName?.startsWith('/'))
    throw new UsersConfigurationError(
      `${SERVICE_URL_PARAM_ENV} must hold the SSM parameter name of the user service's base URL (e.g. /slipway/dev/users/service-url): keep "read param:users/service-url" in the manifest's permissions, which sets it`,
    );
  const raw = env[SERVICE_TIMEOUT_ENV] ?? '3000';
  const timeoutMs = Number(raw);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 10_000)
    throw new UsersConfigurationError(
      `${SERVICE_TIMEOUT_ENV} must be a whole number of milliseconds from 100 to 10000 (got "${raw}"): keep two attempts and a pause below the function's timeout`,
    );
  return { parameterName, timeoutMs };
}

/** Reads a parameter's string value; Powertools' `getParameter` fits. */
export type ParameterReader = (name: string, options: { maxAge: number }) => Promise<unknown>;

/**
 * The user service's base URL from SSM Parameter Store through Powertools Parameters, cached
 * for `maxAgeSeconds` across invocations, checked by {@link parseServiceBaseUrl}.
 *
 * @example
 * const baseUrl = serviceBaseUrl(config.parameterName);
 * const users = createUserService({ baseUrl: await baseUrl(), timeoutMs: config.timeoutMs });
 */
export function serviceBaseUrl(
  parameterName: string,
  options: { maxAgeSeconds?: number; read?: ParameterReader } = {},
): () => Promise<URL> {
  const read: ParameterReader = options.read ?? ((name, opts) => getParameter(name, opts));
  return async () => {
    let value: unknown;
    try {
      value = await read(parameterName, {
        maxAge: options.maxAgeSeconds ?? DEFAULT_URL_MAX_AGE_SECONDS,
      });
    } catch (error) {
      throw new UsersConfigurationError(
        `Cannot read SSM parameter ${parameterName} (${(error as Error).name}): create it with the user service's base URL and keep "read param:users/service-url" in the manifest`,
        { cause: error },
      );
    }
    if (typeof value !== 'string')
      throw new UsersConfigurationError(
        `SSM parameter ${parameterName} does not exist or is empty: store the user service's base URL in it`,
      );
    return parseServiceBaseUrl(value, `SSM parameter ${parameterName}`);
  };
}
