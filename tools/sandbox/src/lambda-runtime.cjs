// Child-process Lambda runtime for the sandbox: loads one packaged handler once (module init =
// cold start) and serves invocations sent over IPC, with a Lambda-like context object. Errors
// are reported the way the Lambda runtime reports them: { errorType, errorMessage, trace }.
// One invocation at a time per process, as in Lambda: the sandbox starts another process for a
// concurrent one. A traced invocation's header is `_X_AMZN_TRACE_ID` while it runs, where
// Lambda's runtime puts it and the X-Ray SDK reads it.
'use strict';

const handlerFile = process.argv[2];
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
const region = process.env.AWS_REGION;
const memory = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const timeoutMs = Number(process.env.SLIPWAY_LAMBDA_TIMEOUT_MS);

let handler;
try {
  handler = require(handlerFile).handler;
  if (typeof handler !== 'function')
    throw new Error(`${handlerFile} exports no function named handler`);
} catch (error) {
  process.send({ type: 'init-error', error: describe(error) });
  process.exit(1);
}

function describe(error) {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: e.name || 'Error',
    errorMessage: e.message,
    trace: String(e.stack || '').split('\n'),
  };
}

process.on('message', async (message) => {
  if (message.type !== 'invoke') return;
  const started = Date.now();
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: memory,
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'sandbox',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  if (message.traceHeader) process.env._X_AMZN_TRACE_ID = message.traceHeader;
  else delete process.env._X_AMZN_TRACE_ID;
  try {
    const result = await handler(message.event, context);
    process.send({
      type: 'result',
      requestId: message.requestId,
      ok: true,
      result: result === undefined ? null : result,
    });
  } catch (error) {
    process.send({
      type: 'result',
      requestId: message.requestId,
      ok: false,
      error: describe(error),
    });
  }
});

process.send({ type: 'ready' });
