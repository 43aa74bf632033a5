import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AppSyncResolverEventSchema } from '@slipway/events';
import { createObservability, instrumentHandler } from '@slipway/observability';
import {
  createUserService,
  resolveUsersField,
  serviceBaseUrl,
  userServiceConfigFromEnv,
  type UserService,
} from '@slipway/users';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
/** Kept from the invocation's time for logging the error and answering AppSync. */
const MARGIN_MS = 500;

// Built on the first request (not at module load, so the bundle loads without the stack's
// variables: bench, tests); the base URL is re-read from SSM when its cache expires.
let setup: { users: () => Promise<UserService> } | undefined;
const build = () => {
  const config = userServiceConfigFromEnv(process.env);
  const baseUrl = serviceBaseUrl(config.parameterName);
  return {
    users: async () => createUserService({ baseUrl: await baseUrl(), timeoutMs: config.timeoutMs }),
  };
};

/**
 * AppSync direct Lambda resolver of `Query.user` and `Mutation.updateProfile`: the user
 * service's answer, or a thrown error whose name AppSync returns as the GraphQL `errorType`.
 * The caller (Cognito user pool or the edge's Lambda authorizer, by the API's auth mode) is
 * logged by id; the caller's token is forwarded, never logged (the event is not logged).
 */
export const handler = instrumentHandler(
  obs,
  {
    input: AppSyncResolverEventSchema,
    source: 'AppSync resolver event',
    correlationId: (event) =>
      (event as { request?: { headers?: Record<string, string> } }).request?.headers?.[
        'x-amzn-trace-id'
      ],
  },
  async (event, { context }) => {
    setup ??= build();
    const field = `${event.info.parentTypeName}.${event.info.fieldName}`;
    obs.metrics.addDimension('field', field);
    try {
      const { user, caller } = await resolveUsersField(event, {
        users: await setup.users(),
        budgetMs: context.getRemainingTimeInMillis() - MARGIN_MS,
      });
      obs.metrics.addDimension('outcome', user ? 'FOUND' : 'NULL');
      obs.logger.info('Resolved', {
        field,
        found: user !== null,
        userId: caller.userId,
        auth: caller.auth,
      });
      return user;
    } catch (error) {
      obs.metrics.addDimension('outcome', (error as Error).name);
      throw error;
    } finally {
      obs.metrics.addMetric('ResolvedFields', MetricUnit.Count, 1);
    }
  },
);
