import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The sandbox's SSM Parameter Store: the two operations Powertools Parameters' `getParameter`
 * and `getParameters` call, `GetParameter` and `GetParameters` over the AWS JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AmazonSSM.GetParameter`), on 127.0.0.1. The Lambdas reach it through
 * the SDK's service-specific endpoint variable {@link SSM_ENDPOINT_ENV}, so their code is the
 * deployed code. Requests are not signature-checked: there is no IAM locally.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

/** The AWS SDKs' endpoint override for SSM (service id `SSM`). */
export const SSM_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_SSM';

/** A running local Parameter Store. */
export interface LocalSsm {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Sets or replaces a parameter's value (a new version, as PutParameter with Overwrite). */
  put(name: string, value: string): void;
  /** How many GetParameter(s) calls asked for each name. */
  reads(name: string): number;
  close(): Promise<void>;
}

interface StoredParameter {
  value: string;
  version: number;
  modified: number;
}

/**
 * Starts the stand-in holding `parameters` (name → String value).
 *
 * @example
 * const ssm = await startLocalSsm({ parameters: { '/slipway/local/users/service-url': url } });
 * process.env[SSM_ENDPOINT_ENV] = ssm.endpoint;
 */
export async function startLocalSsm(options: {
  parameters: Record<string, string>;
  region?: string;
  accountId?: string;
  port?: number;
}): Promise<LocalSsm> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const store = new Map<string, StoredParameter>();
  const readCounts = new Map<string, number>();
  const put = (name: string, value: string) =>
    store.set(name, {
      value,
      version: (store.get(name)?.version ?? 0) + 1,
      modified: Math.floor(Date.now() / 1000),
    });
  for (const [name, value] of Object.entries(options.parameters)) put(name, value);
  const describe = (name: string, p: StoredParameter) => ({
    Name: name,
    Type: 'String',
    Value: p.value,
    Version: p.version,
    LastModifiedDate: p.modified,
    ARN: `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
    DataType: 'text',
  });
  const count = (name: string) => readCounts.set(name, (readCounts.get(name) ?? 0) + 1);

  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const error = (type: string, message: string) =>
      answer(400, { __type: type, message, Message: message });
    const target = req.headers['x-amz-target'];
    if (
      req.method !== 'POST' ||
      (target !== 'AmazonSSM.GetParameter' && target !== 'AmazonSSM.GetParameters')
    )
      return error(
        'UnknownOperationException',
        `The sandbox's Parameter Store serves only AmazonSSM.GetParameter and AmazonSSM.GetParameters (got ${String(target)}): read parameters with getParameter or getParameters.`,
      );
    let input: { Name?: unknown; Names?: unknown };
    try {
      input = JSON.parse(await text(req)) as typeof input;
    } catch {
      return error('SerializationException', 'The request body is not JSON.');
    }
    if (target === 'AmazonSSM.GetParameters') {
      if (!Array.isArray(input.Names) || input.Names.some((n) => typeof n !== 'string'))
        return error('ValidationException', 'Names is required: pass a list of parameter names.');
      const names = input.Names as string[];
      names.forEach(count);
      return answer(200, {
        Parameters: names.filter((n) => store.has(n)).map((n) => describe(n, store.get(n)!)),
        InvalidParameters: names.filter((n) => !store.has(n)),
      });
    }
    if (typeof input.Name !== 'string' || input.Name === '')
      return error('ValidationException', 'Name is required: pass the parameter name.');
    count(input.Name);
    const parameter = store.get(input.Name);
    if (!parameter)
      return error(
        'ParameterNotFound',
        `Parameter ${input.Name} not found. The sandbox holds: ${[...store.keys()].sort().join(', ') || '(none)'}.`,
      );
    answer(200, { Parameter: describe(input.Name, parameter) });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    put,
    reads: (name) => readCounts.get(name) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
