import * as z from 'zod';

/**
 * The users API's types (libs/users/graphql/schema.graphql) as the glue resolver exchanges them
 * with the internal user service: the SDL is the GraphQL contract, these are the same shapes on
 * the HTTP side, so a service answer that would break the API is refused in the Lambda with the
 * field that is wrong.
 */

/** `User` of the SDL; what `GET /users/{id}` and `PATCH /users/{id}` answer. */
export const UserSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  email: z.email(),
  bio: z.string().nullable().optional(),
  /** ISO 8601. */
  updatedAt: z.iso.datetime({ offset: true }),
});
/** A user. */
export type User = z.infer<typeof UserSchema>;

/** Arguments of `Query.user`. */
export const UserQueryArgumentsSchema = z.strictObject({ id: z.string().min(1).max(128) });
/** Arguments of `Query.user`. */
export type UserQueryArguments = z.infer<typeof UserQueryArgumentsSchema>;

/** `UpdateProfileInput` of the SDL: a field left out stays as it is. */
export const UpdateProfileInputSchema = z.strictObject({
  id: z.string().min(1).max(128),
  displayName: z.string().trim().min(1).max(100).nullable().optional(),
  bio: z.string().max(1000).nullable().optional(),
});
/** `UpdateProfileInput`. */
export type UpdateProfileInput = z.infer<typeof UpdateProfileInputSchema>;

/** Arguments of `Mutation.updateProfile`. */
export const UpdateProfileArgumentsSchema = z.strictObject({ input: UpdateProfileInputSchema });
/** Arguments of `Mutation.updateProfile`. */
export type UpdateProfileArguments = z.infer<typeof UpdateProfileArgumentsSchema>;
