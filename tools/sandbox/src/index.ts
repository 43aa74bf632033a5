export * from './event-bus';
export * from './flow-runner';
export * from './local-lambda';
export * from './local-s3';
export * from './sandbox';
export * from './mediaconvert';
export * from './report';
