/**
 * The HTTP edge on the local cloud, as `npm start` shows it (issue 13): a signed-in user asks
 * `POST /uploads` for a presigned S3 POST, uploads a photo with a plain multipart form post
 * straight to S3 (the local server), and the media flow processes it; a Stripe-signed
 * `payment_intent.succeeded` webhook becomes one `PaymentSucceeded` on the platform bus, its
 * redelivery none, and an unsigned one is refused. Everything goes through the local API
 * gateway, the packaged authorizer and route Lambdas. Dev-only.
 */
import { readFileSync } from 'node:fs';
import Stripe from 'stripe';
import type { ExecutionRecord } from './flow-runner';
import type { Sandbox } from './sandbox';

/** What one demo run saw, for the summary and the tests. */
export interface EdgeDemoResult {
  /** Status of `POST /uploads` without a token (401 expected). */
  presignWithoutToken: number;
  /** Status of `POST /uploads` with the member's token (200 expected). */
  presign: number;
  /** The key the presigned POST put the photo under. */
  uploadKey?: string;
  /** Status of the form post to S3 (204 expected). */
  upload?: number;
  /** How the media flow ended for that key, and the manifest it wrote. */
  flow?: { status: string; manifestKey?: string };
  /** `MediaProcessed` events on the bus for the uploaded key and that manifest (1 expected). */
  mediaProcessed: number;
  /** Statuses of the signed webhook, its redelivery and an unsigned one (200, 200, 400 expected). */
  webhook: { signed: number; redelivered: number; unsigned: number };
  /** `PaymentSucceeded` events on the bus after all three (1 expected). */
  paymentSucceeded: number;
}

const PAYMENT_INTENT_EVENT = {
  id: 'evt_local_demo_0001',
  object: 'event',
  type: 'payment_intent.succeeded',
  created: 1764633600,
  livemode: false,
  data: {
    object: {
      id: 'pi_local_demo_0001',
      object: 'payment_intent',
      amount: 4900,
      currency: 'eur',
      customer: 'cus_local_demo',
      status: 'succeeded',
    },
  },
};

/**
 * Runs the demo against a sandbox started with `gateway: true`; `photo` is the file uploaded.
 *
 * @throws {Error} when the sandbox has no gateway.
 */
export async function runEdgeDemo(sandbox: Sandbox, photo: string): Promise<EdgeDemoResult> {
  if (!sandbox.edge) throw new Error('runEdgeDemo needs startSandbox({ gateway: true })');
  const { gateway, identity, webhookSecret } = sandbox.edge;
  const bytes = readFileSync(photo);
  const request = JSON.stringify({
    filename: 'eiffel-tower.jpg',
    contentType: 'image/jpeg',
    size: bytes.length,
  });

  const anonymous = await fetch(`${gateway.url}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request,
  });
  const token = await identity.mintToken({ sub: 'user-demo-0001', roles: ['member'] });
  const presigned = await fetch(`${gateway.url}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: request,
  });
  const result: EdgeDemoResult = {
    presignWithoutToken: anonymous.status,
    presign: presigned.status,
    webhook: { signed: 0, redelivered: 0, unsigned: 0 },
    paymentSucceeded: 0,
    mediaProcessed: 0,
  };
  if (presigned.ok) {
    const post = (await presigned.json()) as {
      url: string;
      fields: Record<string, string>;
      key: string;
    };
    // A browser's form post: every policy field, then the file last (S3 ignores what follows it).
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'eiffel-tower.jpg');
    const upload = await fetch(post.url, { method: 'POST', body: form });
    result.uploadKey = post.key;
    result.upload = upload.status;
    const record = upload.ok ? await executionFor(sandbox, post.key) : undefined;
    if (record) {
      const manifestKey = (
        record.output as { finalized?: { manifest?: { key?: string } } } | undefined
      )?.finalized?.manifest?.key;
      result.flow = { status: record.status, ...(manifestKey ? { manifestKey } : {}) };
      result.mediaProcessed = sandbox.bus.events.filter((e) => {
        const detail = e.detail as { source?: { key?: string }; manifest?: { key?: string } };
        return (
          e.detailType === 'MediaProcessed' &&
          detail.source?.key === post.key &&
          detail.manifest?.key === manifestKey
        );
      }).length;
    }
  }

  const payload = JSON.stringify(PAYMENT_INTENT_EVENT);
  // Stripe's own signing code (dev dependency), as the libs/edge tests use it.
  const stripe = new Stripe('sk_test_unused');
  const sign = () => stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
  const deliver = (headers: Record<string, string>) =>
    fetch(`${gateway.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
  result.webhook.signed = (await deliver({ 'stripe-signature': sign() })).status;
  result.webhook.redelivered = (await deliver({ 'stripe-signature': sign() })).status;
  result.webhook.unsigned = (await deliver({})).status;
  result.paymentSucceeded = sandbox.bus.events.filter(
    (e) => e.detailType === 'PaymentSucceeded',
  ).length;
  return result;
}

/**
 * The execution the upload of `key` started. s3rver announces the object after it answered the
 * POST, so the execution may not be registered yet when the upload returns: wait up to 10 s.
 */
async function executionFor(sandbox: Sandbox, key: string): Promise<ExecutionRecord | undefined> {
  const find = () =>
    sandbox.executions.find((e) => (e.input as { object?: { key?: string } }).object?.key === key);
  const deadline = Date.now() + 10_000;
  while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return find()?.record;
}

/** What `npm start` expects of each step (issue 13, "Must show"). */
export const EDGE_DEMO_EXPECTED = {
  presignWithoutToken: 401,
  presign: 200,
  upload: 204,
  flowStatus: 'SUCCEEDED',
  mediaProcessed: 1,
  webhook: { signed: 200, redelivered: 200, unsigned: 400 },
  paymentSucceeded: 1,
} as const;

/**
 * Every way `r` differs from {@link EDGE_DEMO_EXPECTED}, one sentence each; empty when the edge
 * works end to end. `npm start` fails when this is not empty.
 *
 * @example
 * const problems = edgeDemoProblems(await runEdgeDemo(sandbox, photo));
 * if (problems.length) process.exitCode = 1;
 */
export function edgeDemoProblems(r: EdgeDemoResult): string[] {
  const e = EDGE_DEMO_EXPECTED;
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  check(
    r.presignWithoutToken === e.presignWithoutToken,
    `POST /uploads without a token answered ${r.presignWithoutToken}, expected ${e.presignWithoutToken}: the gateway must refuse a JWT route without Authorization.`,
  );
  check(
    r.presign === e.presign,
    `POST /uploads with a member's token answered ${r.presign}, expected ${e.presign}: see dist/sandbox/logs/edge-authorizer.log and edge-uploads.log.`,
  );
  check(
    r.upload === e.upload,
    `The form post to S3 answered ${r.upload ?? 'nothing (no presigned POST)'}, expected ${e.upload}.`,
  );
  check(
    r.flow?.status === e.flowStatus && r.flow.manifestKey !== undefined,
    `The media flow for the upload ${r.flow ? `ended ${r.flow.status}${r.flow.manifestKey ? '' : ' without a manifest'}` : 'did not start'}, expected ${e.flowStatus} with a manifest: see the logs of the media-* functions.`,
  );
  check(
    r.mediaProcessed === e.mediaProcessed,
    `${r.mediaProcessed} MediaProcessed events for the upload on the bus, expected ${e.mediaProcessed}.`,
  );
  for (const delivery of ['signed', 'redelivered', 'unsigned'] as const)
    check(
      r.webhook[delivery] === e.webhook[delivery],
      `The ${delivery} Stripe webhook answered ${r.webhook[delivery]}, expected ${e.webhook[delivery]}: see dist/sandbox/logs/edge-stripe-webhook.log.`,
    );
  check(
    r.paymentSucceeded === e.paymentSucceeded,
    `${r.paymentSucceeded} PaymentSucceeded events on the bus, expected ${e.paymentSucceeded}: a redelivery must not publish again.`,
  );
  return problems;
}

/** The demo's result as the lines `npm start` prints. */
export function describeEdgeDemo(r: EdgeDemoResult): string {
  return [
    `POST /uploads without a token → ${r.presignWithoutToken}; with a member's token → ${r.presign}`,
    r.uploadKey
      ? `form post of the photo to s3://…/${r.uploadKey} → ${r.upload}; media flow: ${r.flow?.status ?? 'not started'}${r.flow?.manifestKey ? ` (${r.flow.manifestKey})` : ''}; MediaProcessed events for it: ${r.mediaProcessed}`
      : 'no presigned POST: nothing uploaded',
    `Stripe webhook payment_intent.succeeded signed → ${r.webhook.signed}, redelivered → ${r.webhook.redelivered}, unsigned → ${r.webhook.unsigned}; PaymentSucceeded events on the bus: ${r.paymentSucceeded}`,
  ].join('\n');
}
