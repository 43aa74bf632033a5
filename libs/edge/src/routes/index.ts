// One function per route of the HTTP edge: reads and writes through the AWS SDK and calls the
// pure decisions of the library.
export * from './outcome';
export * from './authorizer';
export * from './create-upload';
export * from './stripe-webhook';
