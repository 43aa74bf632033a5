import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The sandbox's Secrets Manager: the one operation Powertools Parameters' `getSecret` calls,
 * `GetSecretValue` over the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target:
 * secretsmanager.GetSecretValue`), on 127.0.0.1. The Lambdas reach it through the SDK's
 * service-specific endpoint variable {@link SECRETS_MANAGER_ENDPOINT_ENV}, so their code is the
 * deployed code. Requests are not signature-checked: there is no IAM locally.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */

/** The AWS SDKs' endpoint override for Secrets Manager (service id `Secrets Manager`). */
export const SECRETS_MANAGER_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_SECRETS_MANAGER';

/** A running local Secrets Manager. */
export interface LocalSecrets {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Sets or replaces a secret's string (a new version, as PutSecretValue would). */
  put(name: string, value: string): void;
  close(): Promise<void>;
}

/**
 * Starts the stand-in holding `secrets` (name → SecretString). A secret is found by its name
 * or by the ARN this stand-in reports for it.
 *
 * @example
 * const secrets = await startLocalSecrets({ secrets: { 'slipway-local-stripe-webhook': 'whsec_…' } });
 * process.env[SECRETS_MANAGER_ENDPOINT_ENV] = secrets.endpoint;
 */
export async function startLocalSecrets(options: {
  secrets: Record<string, string>;
  region?: string;
  accountId?: string;
  port?: number;
}): Promise<LocalSecrets> {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '000000000000';
  const store = new Map<string, { value: string; version: number; created: number }>();
  const put = (name: string, value: string) =>
    store.set(name, {
      value,
      version: (store.get(name)?.version ?? 0) + 1,
      created: Math.floor(Date.now() / 1000),
    });
  for (const [name, value] of Object.entries(options.secrets)) put(name, value);
  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-local`;

  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(body));
    };
    const error = (type: string, message: string) =>
      answer(400, { __type: type, message, Message: message });
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue')
      return error(
        'UnknownOperationException',
        `The sandbox's Secrets Manager serves only secretsmanager.GetSecretValue (got ${String(target)}): read secrets with getSecret or GetSecretValueCommand.`,
      );
    let input: { SecretId?: unknown; VersionStage?: unknown };
    try {
      input = JSON.parse(await text(req)) as typeof input;
    } catch {
      return error('SerializationException', 'The request body is not JSON.');
    }
    if (typeof input.SecretId !== 'string' || input.SecretId === '')
      return error('InvalidParameterException', 'SecretId is required: pass the secret name.');
    if (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT')
      return error(
        'ResourceNotFoundException',
        `The sandbox keeps only AWSCURRENT versions (asked for ${String(input.VersionStage)}).`,
      );
    const name = [...store.keys()].find((n) => n === input.SecretId || arnOf(n) === input.SecretId);
    const secret = name === undefined ? undefined : store.get(name);
    if (name === undefined || !secret)
      return error(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret. The sandbox holds: ${[...store.keys()].sort().join(', ') || '(none)'}.`,
      );
    answer(200, {
      ARN: arnOf(name),
      Name: name,
      VersionId: `00000000-0000-0000-0000-${String(secret.version).padStart(12, '0')}`,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.created,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    put,
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
