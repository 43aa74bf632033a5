import { join } from 'node:path';
import { elements, mergeSegments, readSegments } from '../../src/segments';

const fixture = (name: string) => join(__dirname, '../fixtures', name);

describe('readSegments and mergeSegments', () => {
  it('attaches independently sent subsegments to their parents, in time order, and drops orphans', () => {
    // Prepare
    const docs = readSegments(fixture('split-subsegments.jsonl'));
    // Act
    const merged = mergeSegments(docs);
    // Assess
    expect(docs).toHaveLength(5);
    expect(merged.map((s) => s.id)).toEqual(['a1b2c3d4e5f60718']);
    expect(elements(merged[0]!).map((e) => `${e.name}:${e.aws?.['operation'] ?? ''}`)).toEqual([
      'media-validate:',
      '## handler.handler:',
      'S3:HeadObject',
      'S3:GetObject',
    ]);
  });

  it('says how to get a segments file when it is missing', () => {
    expect(() => readSegments(fixture('missing.jsonl'))).toThrow(
      `No segments file at ${fixture('missing.jsonl')}. Run the sandbox first (npm start or npm run sandbox) so it captures traces, or pass --work-dir <dir> holding traces/segments.jsonl.`,
    );
  });

  it('names the line that is not a segment document', () => {
    expect(() => readSegments(fixture('not-a-segment.jsonl'))).toThrow(
      `${fixture('not-a-segment.jsonl')}:1 is not an X-Ray segment document (it needs id, name and start_time).`,
    );
  });
});
