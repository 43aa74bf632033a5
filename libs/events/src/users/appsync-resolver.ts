import * as z from 'zod';

/**
 * The event AppSync sends a direct Lambda resolver (a UNIT resolver on a Lambda data source with
 * no request mapping): the field's arguments, the caller's identity, the parent's resolved
 * value, the request headers, and what is being resolved.
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
 * https://docs.aws.amazon.com/appsync/latest/devguide/direct-lambda-reference.html
 *
 * `identity` differs by the API's auth mode (Cognito user pools: `sub`, `claims`, ...; Lambda
 * authorizer: `resolverContext`), so it is kept loose; the glue resolver forwards the caller's
 * token from the headers and lets the user service decide.
 */
export const AppSyncResolverEventSchema = z.object({
  arguments: z.record(z.string(), z.unknown()),
  identity: z.record(z.string(), z.unknown()).nullable().optional(),
  source: z.record(z.string(), z.unknown()).nullable().optional(),
  request: z.object({
    /** Header names are lowercase, as AppSync passes them. */
    headers: z.record(z.string(), z.string().optional()),
    domainName: z.string().nullable().optional(),
  }),
  info: z.object({
    fieldName: z.string().min(1),
    parentTypeName: z.string().min(1),
    variables: z.record(z.string(), z.unknown()).default({}),
    selectionSetList: z.array(z.string()).default([]),
    selectionSetGraphQL: z.string().optional(),
  }),
  prev: z.unknown().optional(),
  stash: z.record(z.string(), z.unknown()).default({}),
});
/** An AppSync direct Lambda resolver event. */
export type AppSyncResolverEvent = z.infer<typeof AppSyncResolverEventSchema>;
