/**
 * Serializes a derived JSON document (`metadata.json`, `probe.json`) exactly as the Lambdas
 * store it: two-space indented, with a final newline. `media:inspect` (tools/sandbox) prints
 * the same bytes, so what it shows is what the pipeline would write.
 *
 * @example
 * await putDerived(s3, bucket, { key, role: 'metadata', body: derivedJson(metadata), contentType: 'application/json' });
 */
export function derivedJson(document: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(document, null, 2)}\n`);
}
