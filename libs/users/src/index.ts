/**
 * `@slipway/users`: the users domain's glue between its GraphQL API (AppSync, SDL in
 * `graphql/schema.graphql`) and the internal user service. Pure dispatch in `resolver.ts`, the
 * caller from either auth mode's identity in `caller.ts`, the service's HTTP client in
 * `user-service.ts`, its configuration (SSM) in `config.ts`.
 */
export * from './errors';
export * from './config';
export * from './caller';
export * from './resolver';
export * from './user-service';
