/**
 * The media bench's child process on the real 12 MP fixture: both kinds run in one process,
 * produce the same number of images, and report a peak RSS.
 */
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runMediaWorker } from '../../src/media';

const ROOT = join(__dirname, '../../../..');

describe('media-worker', () => {
  it('times the thumbnail step and raw sharp in one process on the same outputs', () => {
    // Act
    const result = runMediaWorker(ROOT, 'both', 1);

    // Assess
    expect(result.step).toHaveLength(1);
    expect(result.raw).toHaveLength(1);
    expect(result.outputs).toEqual({ step: 6, raw: 6 });
    expect(result.step[0]).toBeGreaterThan(0);
    // sharp decoding a 12 MP image cannot fit in less than its 36 MB of pixels.
    expect(result.maxRssBytes).toBeGreaterThan(36 * 1024 * 1024);
  });

  it('runs only the step when asked, for its own peak RSS', () => {
    // Act
    const result = runMediaWorker(ROOT, 'step', 1);

    // Assess
    expect(result.step).toHaveLength(1);
    expect(result.raw).toEqual([]);
    expect(result.outputs).toEqual({ step: 6 });
  });
});
