// Set before the handler module loads: it reads BUCKET_DATA at cold start, as in Lambda, where
// AWS_REGION is always set (lib-storage's Upload reads the client's region).
process.env.BUCKET_DATA = 'slipway-dev-data-111111111111';
process.env.AWS_REGION ??= 'eu-west-1';
