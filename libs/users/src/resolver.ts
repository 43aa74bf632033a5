import {
  parseEvent,
  UpdateProfileArgumentsSchema,
  UserQueryArgumentsSchema,
  type AppSyncResolverEvent,
  type User,
} from '@slipway/events';
import { type Caller, callerOf } from './caller';
import { BadRequestError, UsersConfigurationError } from './errors';
import type { UserService } from './user-service';

/** The fields this resolver answers, as `<parent>.<field>` (the manifest's graphql triggers). */
export const USERS_FIELDS = ['Query.user', 'Mutation.updateProfile'] as const;
/** One of {@link USERS_FIELDS}. */
export type UsersField = (typeof USERS_FIELDS)[number];

/** What {@link resolveUsersField} needs. */
export interface ResolveOptions {
  /** The user service (built once per execution environment). */
  users: UserService;
  /** Time left for the field, in ms (see `CallOptions.budgetMs`). */
  budgetMs?: number;
}

/**
 * Resolves one field of the users API from AppSync's direct Lambda resolver event: the caller
 * read from `identity` (either auth mode: {@link callerOf}), the arguments checked against the
 * SDL's limits, the user service called with the caller's token (the `authorization` header
 * AppSync received, present in both modes). Errors are thrown for AppSync to turn into GraphQL
 * errors (errors.ts).
 *
 * @throws {UnauthorizedError} when the event carries no caller identity.
 * @throws {BadRequestError} for arguments outside the API's limits.
 * @throws {UsersConfigurationError} when attached to a field it does not resolve.
 * @example
 * await resolveUsersField(event, { users, budgetMs: context.getRemainingTimeInMillis() - 500 });
 */
export async function resolveUsersField(
  event: AppSyncResolverEvent,
  options: ResolveOptions,
): Promise<{ field: UsersField; user: User | null; caller: Caller }> {
  const field = `${event.info.parentTypeName}.${event.info.fieldName}`;
  const caller = callerOf(event.identity);
  const call = { authorization: event.request.headers.authorization, budgetMs: options.budgetMs };
  switch (field) {
    case 'Query.user': {
      const args = argumentsOf(UserQueryArgumentsSchema, event, field);
      return { field, user: await options.users.getUser(args.id, call), caller };
    }
    case 'Mutation.updateProfile': {
      const args = argumentsOf(UpdateProfileArgumentsSchema, event, field);
      return { field, user: await options.users.updateProfile(args.input, call), caller };
    }
    default:
      throw new UsersConfigurationError(
        `This function resolves ${USERS_FIELDS.join(' and ')}, not ${field}: attach another Lambda to it (a graphql trigger in its manifest)`,
      );
  }
}

function argumentsOf<
  S extends typeof UserQueryArgumentsSchema | typeof UpdateProfileArgumentsSchema,
>(schema: S, event: AppSyncResolverEvent, field: string) {
  try {
    return parseEvent(schema, event.arguments, `arguments of ${field}`) as ReturnType<S['parse']>;
  } catch (error) {
    throw new BadRequestError((error as Error).message, { cause: error });
  }
}
