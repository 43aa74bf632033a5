import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_SCHEMAS } from '@slipway/events';
import {
  apiAuthorizer,
  loadManifests,
  OPENAPI_FILE,
  openApiDocument,
  OpenApiError,
  restApiBody,
  routeTable,
  workspaceOpenApiJson,
  type JsonObject,
} from '../../src';
import { FIXTURE_SCHEMAS } from '../fixtures/api/schemas';

const REPO = join(__dirname, '../../../..');
const INFO = { title: 'Fixture API', version: '1.2.3' };
const manifests = loadManifests(join(__dirname, '../fixtures/api'), FIXTURE_SCHEMAS).map(
  (f) => f.manifest,
);
const routes = routeTable(manifests);
const INVOKE_ARNS = {
  'edge-authorizer': '${authorizer_invoke_arn}',
  'edge-things': '${things_invoke_arn}',
  'edge-webhook': '${webhook_invoke_arn}',
};

/**
 * Validates a document with @seriousme/openapi-schema-validator. It ships ES modules only
 * (import.meta), which Jest's CommonJS transform cannot load: it runs in a plain Node child.
 */
function validate(document: unknown): { valid: boolean; errors?: unknown } {
  const script =
    "import { Validator } from '@seriousme/openapi-schema-validator';" +
    "let text = ''; process.stdin.on('data', (c) => (text += c)).on('end', async () => {" +
    ' const v = new Validator(); const r = await v.validate(JSON.parse(text));' +
    ' process.stdout.write(JSON.stringify({ valid: r.valid, errors: r.errors, version: v.version })); });';
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO,
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`validator failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

describe('OpenAPI 3.1 document', () => {
  const document = openApiDocument(routes, FIXTURE_SCHEMAS, INFO) as {
    paths: Record<string, Record<string, JsonObject>>;
    components: { schemas: Record<string, JsonObject> } & JsonObject;
  } & JsonObject;

  it('documents a JWT route with its parameter, bodies, errors, security and roles', () => {
    expect(document.paths['/things/{id}'].put).toEqual({
      operationId: 'putThingsById',
      parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }],
      requestBody: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingInput' } } },
        required: true,
      },
      responses: {
        '200': {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          description: 'OK',
        },
        '400': errorRef('BadRequest'),
        '401': errorRef('Unauthorized'),
        '403': errorRef('Forbidden'),
        '404': errorRef('NotFound'),
        '413': errorRef('PayloadTooLarge'),
        '429': errorRef('TooManyRequests'),
        '500': errorRef('InternalServerError'),
      },
      security: [{ jwt: [] }],
      tags: ['edge-things'],
      'x-slipway-lambda': 'edge-things',
      'x-slipway-max-body-bytes': 65536,
      'x-slipway-roles': ['admin'],
      'x-slipway-throttle': { burstLimit: 100, rateLimit: 50 },
    });
  });

  it('documents a public route with no security and its reason, and no 401/403', () => {
    const operation = document.paths['/webhooks/stripe'].post;

    expect(operation.security).toEqual([]);
    expect(operation['x-slipway-public-reason']).toBe(
      'Stripe signs every delivery; the handler verifies it',
    );
    expect(Object.keys(operation.responses as JsonObject)).toEqual([
      '200',
      '400',
      '404',
      '413',
      '429',
      '500',
    ]);
    expect(operation['x-slipway-roles']).toBeUndefined();
  });

  it('writes ANY as every method and a binary body as octet-stream', () => {
    const item = document.paths['/files/{proxy+}'];

    expect(Object.keys(item)).toEqual(['delete', 'get', 'head', 'options', 'patch', 'post', 'put']);
    expect(item.post.operationId).toBe('postFilesByProxyPath');
    expect(item.post.requestBody).toEqual({
      content: {
        'application/octet-stream': {
          schema: { contentMediaType: 'application/octet-stream', type: 'string' },
        },
      },
      required: true,
    });
    expect(item.get.requestBody).toBeUndefined();
    expect(Object.keys(item.get.responses as JsonObject)).not.toContain('413');
  });

  it('generates component schemas with zod: requests as input, responses as output', () => {
    // As input, z.object() admits (and strips) unknown keys: no additionalProperties: false.
    expect(document.components.schemas.ThingInput).toEqual({
      properties: {
        size: { maximum: 9007199254740991, minimum: -9007199254740991, type: 'integer' },
        tags: { default: [], items: { type: 'string' }, type: 'array' },
      },
      required: ['size'],
      type: 'object',
    });
    expect(Object.keys(document.components.schemas)).toEqual([
      'Ack',
      'ErrorResponse',
      'Event',
      'Thing',
      'ThingInput',
    ]);
    expect(document.components.securitySchemes).toEqual({
      jwt: { bearerFormat: 'JWT', scheme: 'bearer', type: 'http' },
    });
    expect(document.components.responses).toMatchObject({
      NotFound: {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
        description: 'Nothing exists at this path.',
      },
    });
  });

  it('is a valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(validate(document)).toEqual({ valid: true, version: '3.1' });
  });

  it('the validator rejects a document with one field broken (it really validates)', () => {
    // Prepare: a response without its required description.
    const broken = structuredClone(document);
    delete (broken.paths['/things/{id}'].get.responses as Record<string, JsonObject>)['200']
      .description;

    // Act
    const result = validate(broken);

    // Assess
    expect(result.valid).toBe(false);
  });

  it('is the same bytes whatever order the manifests come in', () => {
    const reversed = routeTable([...manifests].reverse());

    expect(JSON.stringify(openApiDocument(reversed, FIXTURE_SCHEMAS, INFO))).toBe(
      JSON.stringify(document),
    );
  });
});

describe('REST API body', () => {
  const body = restApiBody(routes, FIXTURE_SCHEMAS, INFO, {
    invokeArns: INVOKE_ARNS,
    authorizer: apiAuthorizer(manifests),
  }) as {
    paths: Record<string, Record<string, JsonObject>>;
    components: JsonObject;
  } & JsonObject;

  it('integrates every operation with its Lambda and validates request bodies', () => {
    const put = body.paths['/things/{id}'].put;

    expect(put['x-amazon-apigateway-integration']).toEqual({
      httpMethod: 'POST',
      passthroughBehavior: 'when_no_match',
      type: 'aws_proxy',
      uri: '${things_invoke_arn}',
    });
    expect(put['x-amazon-apigateway-request-validator']).toBe('body-and-params');
    expect(body.paths['/things/{id}'].get['x-amazon-apigateway-request-validator']).toBeUndefined();
    expect(body['x-amazon-apigateway-request-validators']).toEqual({
      'body-and-params': { validateRequestBody: true, validateRequestParameters: true },
    });
    expect(put['x-slipway-roles']).toBeUndefined();
  });

  it('declares the Lambda REQUEST authorizer keyed on the Authorization header', () => {
    expect((body.components.securitySchemes as JsonObject).jwt).toEqual({
      in: 'header',
      name: 'Authorization',
      type: 'apiKey',
      'x-amazon-apigateway-authorizer': {
        authorizerResultTtlInSeconds: 60,
        authorizerUri: '${authorizer_invoke_arn}',
        identitySource: 'method.request.header.Authorization',
        type: 'request',
      },
      'x-amazon-apigateway-authtype': 'custom',
    });
  });

  it('keeps ANY as API Gateway catch-all, declares binary types and speaks OpenAPI 3.0', () => {
    expect(Object.keys(body.paths['/files/{proxy+}'])).toEqual(['x-amazon-apigateway-any-method']);
    expect(body['x-amazon-apigateway-binary-media-types']).toEqual(['application/octet-stream']);
    expect(body.openapi).toBe('3.0.1');
    expect((body.components.schemas as Record<string, JsonObject>).Ack).toEqual({
      additionalProperties: false,
      properties: { received: { enum: [true], type: 'boolean' } },
      required: ['received'],
      type: 'object',
    });
    expect(validate(body)).toEqual({ valid: true, version: '3.0' });
  });

  it('answers API Gateway refusals in the error schema', () => {
    const responses = body['x-amazon-apigateway-gateway-responses'] as Record<string, JsonObject>;

    expect(responses.UNAUTHORIZED).toEqual({
      responseTemplates: {
        'application/json':
          '{"code":"UNAUTHORIZED","message":"Send a valid bearer token in the Authorization header."}',
      },
      statusCode: 401,
    });
    // A failed function and a timeout keep API Gateway's 502 and 504 (a status on DEFAULT_5XX
    // alone would turn both into 500).
    expect(responses.INTEGRATION_FAILURE?.statusCode).toBe(502);
    expect(responses.INTEGRATION_TIMEOUT?.statusCode).toBe(504);
    expect(Object.keys(responses)).toEqual([
      'ACCESS_DENIED',
      'BAD_REQUEST_BODY',
      'DEFAULT_5XX',
      'INTEGRATION_FAILURE',
      'INTEGRATION_TIMEOUT',
      'MISSING_AUTHENTICATION_TOKEN',
      'REQUEST_TOO_LARGE',
      'THROTTLED',
      'UNAUTHORIZED',
    ]);
  });

  it('refuses a routed Lambda with no invoke ARN', () => {
    const { 'edge-webhook': _dropped, ...partial } = INVOKE_ARNS;

    expect(() =>
      restApiBody(routes, FIXTURE_SCHEMAS, INFO, {
        invokeArns: partial,
        authorizer: apiAuthorizer(manifests),
      }),
    ).toThrow(
      new OpenApiError(
        'no invoke ARN for Lambda "edge-webhook" (POST /webhooks/stripe): pass ' +
          'invokeArns["edge-webhook"] (its aws_lambda_function invoke_arn) to restApiBody',
      ),
    );
  });

  it('refuses JWT routes with no authorizer', () => {
    expect(() => restApiBody(routes, FIXTURE_SCHEMAS, INFO, { invokeArns: INVOKE_ARNS })).toThrow(
      'ANY /files/{proxy+} needs the JWT authorizer: pass apiAuthorizer(manifests) as ' +
        'options.authorizer to restApiBody (and declare {"type": "authorizer"} in its manifest)',
    );
  });
});

describe(`${OPENAPI_FILE}`, () => {
  it('equals what the repository manifests generate, byte for byte (regenerate: npm run api:openapi)', () => {
    // Prepare
    const committed = readFileSync(join(REPO, OPENAPI_FILE), 'utf8');

    // Act
    const generated = workspaceOpenApiJson(REPO, EDGE_SCHEMAS);

    // Assess
    expect(committed).toBe(generated);
    expect(validate(JSON.parse(committed))).toEqual({ valid: true, version: '3.1' });
  });
});
