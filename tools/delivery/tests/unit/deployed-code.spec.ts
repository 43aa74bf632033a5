import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  main,
  parseArgs,
  plannedFunctions,
  verifyDeployedCode,
  type PlanWithValues,
} from '../../src/deployed-code';
import { DeployedCodeError, UsageError } from '../../src/errors';

const PLAN_FILE = join(__dirname, '../fixtures/deployed-code/media-dev.json');
const readPlan = (): PlanWithValues =>
  JSON.parse(readFileSync(PLAN_FILE, 'utf8')) as PlanWithValues;
const THUMBNAIL = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const PROBE = 'ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=';

const lambdaMock = mockClient(LambdaClient);
const lambda = () => new LambdaClient({ region: 'eu-west-1' });
/** Lambda answers with these CodeSha256 per function name. */
function deployed(codes: Record<string, string>): void {
  lambdaMock.on(GetFunctionConfigurationCommand).callsFake((input) => {
    const code = codes[input.FunctionName];
    if (code === undefined)
      throw new LambdaServiceException({
        name: 'ResourceNotFoundException',
        $fault: 'client',
        $metadata: { httpStatusCode: 404 },
        message: `Function not found: ${input.FunctionName}`,
      });
    return { FunctionName: input.FunctionName, CodeSha256: code };
  });
}
beforeEach(() => lambdaMock.reset());

describe('plannedFunctions', () => {
  it('lists the functions the plan creates or updates, with their planned zip hash', () => {
    expect(plannedFunctions(readPlan())).toEqual({
      functions: [
        {
          address: 'module.lambda_media_thumbnail.aws_lambda_function.this',
          functionName: 'slipway-dev-media-thumbnail',
          codeSha256: THUMBNAIL,
        },
        {
          address: 'module.lambda_media_probe.aws_lambda_function.this',
          functionName: 'slipway-dev-media-probe',
          codeSha256: PROBE,
        },
      ],
      unknown: [],
    });
  });
});

describe('verifyDeployedCode', () => {
  it('passes when every touched function runs its planned zip, asking about exactly those', async () => {
    // Prepare
    deployed({ 'slipway-dev-media-thumbnail': THUMBNAIL, 'slipway-dev-media-probe': PROBE });

    // Act
    const checked = await verifyDeployedCode('media-dev', readPlan(), lambda());

    // Assess
    expect(checked).toEqual([
      `slipway-dev-media-thumbnail runs ${THUMBNAIL}`,
      `slipway-dev-media-probe runs ${PROBE}`,
    ]);
    expect(
      lambdaMock.commandCalls(GetFunctionConfigurationCommand).map((c) => c.args[0].input),
    ).toEqual([
      { FunctionName: 'slipway-dev-media-thumbnail' },
      { FunctionName: 'slipway-dev-media-probe' },
    ]);
  });

  it('refuses a function that runs other code, and one that is gone, naming both', async () => {
    // Prepare: the thumbnail function's code was replaced after the apply; the probe is missing.
    deployed({ 'slipway-dev-media-thumbnail': 'cGxhbnRlZCBjb2Rl' });

    // Act
    const checking = verifyDeployedCode('media-dev', readPlan(), lambda());

    // Assess
    await expect(checking).rejects.toThrow(DeployedCodeError);
    await expect(verifyDeployedCode('media-dev', readPlan(), lambda())).rejects.toThrow(
      [
        'the Lambdas of media-dev do not run the planned code:',
        `  - slipway-dev-media-thumbnail (module.lambda_media_thumbnail.aws_lambda_function.this) runs code with SHA-256 cGxhbnRlZCBjb2Rl, not ${THUMBNAIL}, the planned zip.`,
        '  - slipway-dev-media-probe (module.lambda_media_probe.aws_lambda_function.this) does not exist after the apply: did the apply fail or was it deleted since?',
        'Find out who changed the code (CloudTrail: UpdateFunctionCode on that function), then re-run the deploy so the function gets its planned zip again.',
      ].join('\n'),
    );
  });

  it('refuses a planned function whose hash the plan does not know', async () => {
    // Prepare
    const plan = readPlan();
    const change = plan.resource_changes?.[1]?.change as { after: Record<string, unknown> };
    delete change.after.source_code_hash;
    deployed({ 'slipway-dev-media-thumbnail': THUMBNAIL });

    // Act / Assess
    await expect(verifyDeployedCode('media-dev', plan, lambda())).rejects.toThrow(
      '  - module.lambda_media_probe.aws_lambda_function.this: the plan does not know its function_name or source_code_hash, so its code cannot be checked.',
    );
  });

  it('names the permission when the role may not read the configuration', async () => {
    // Prepare
    lambdaMock.on(GetFunctionConfigurationCommand).rejects(
      new LambdaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'denied',
      }),
    );

    // Act / Assess
    await expect(verifyDeployedCode('media-dev', readPlan(), lambda())).rejects.toThrow(
      '  - slipway-dev-media-thumbnail: the role may not lambda:GetFunctionConfiguration on it (AccessDeniedException); the deploy role needs it to check the deployed code.',
    );
  });
});

describe('CLI', () => {
  it('parses --plan and --stack, and rejects the rest', () => {
    expect(parseArgs(['--plan', 'p.json', '--stack=media-dev'])).toEqual({
      plan: 'p.json',
      stack: 'media-dev',
    });
    expect(() => parseArgs([])).toThrow(UsageError);
    expect(() => parseArgs(['--zip', 'x'])).toThrow('unknown argument "--zip"');
  });

  it('prints what it checked and exits 0; exits 1 on a mismatch', async () => {
    // Prepare
    deployed({ 'slipway-dev-media-thumbnail': THUMBNAIL, 'slipway-dev-media-probe': PROBE });
    const lines: string[] = [];
    const errors: string[] = [];
    const io = { write: (t: string) => lines.push(t), error: (t: string) => errors.push(t) };

    // Act
    const ok = await main(['--plan', PLAN_FILE], io, lambda());
    deployed({ 'slipway-dev-media-thumbnail': THUMBNAIL, 'slipway-dev-media-probe': THUMBNAIL });
    const refused = await main(['--plan', PLAN_FILE], io, lambda());

    // Assess
    expect(ok).toBe(0);
    expect(lines).toEqual([
      `deployed-code: media-dev: every Lambda the plan touched runs its planned zip:\n  slipway-dev-media-thumbnail runs ${THUMBNAIL}\n  slipway-dev-media-probe runs ${PROBE}\n`,
    ]);
    expect(refused).toBe(1);
    expect(errors[0]).toMatch(
      /^deployed-code: the Lambdas of media-dev do not run the planned code:\n {2}- slipway-dev-media-probe/,
    );
  });
});
