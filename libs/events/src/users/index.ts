/** The users domain's contracts: AppSync's resolver event and the users API's types. */
export * from './appsync-resolver';
export * from './user';
