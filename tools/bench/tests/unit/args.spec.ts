import { describe, expect, it } from '@jest/globals';
import { parseBenchArgs } from '../../src/args';

describe('parseBenchArgs', () => {
  it('defaults to 21 init runs, 5 Nx runs, 9 media runs, 5 sandbox runs, ETL up to 5 M rows in 5 rounds and a 10,000-object day', () => {
    expect(parseBenchArgs([])).toEqual({
      runs: 21,
      nxRuns: 5,
      mediaRuns: 9,
      sandboxRuns: 5,
      governanceRuns: 5,
      etlMaxRows: 5_000_000,
      etlRuns: 5,
      etlDayObjects: 10_000,
    });
  });

  it('reads --etl-day-objects, refusing a day smaller than one batch', () => {
    expect(parseBenchArgs(['--etl-day-objects', '1000'])).toMatchObject({ etlDayObjects: 1_000 });
    expect(() => parseBenchArgs(['--etl-day-objects', '99'])).toThrow(
      '--etl-day-objects 99 is not valid: give a whole number >= 100.',
    );
  });

  it('reads --etl-max-rows, so the 5 M-row ETL size can be skipped', () => {
    expect(parseBenchArgs(['--etl-max-rows', '1000000'])).toMatchObject({ etlMaxRows: 1_000_000 });
  });

  it('reads --etl-runs, refusing fewer than 3 rounds', () => {
    expect(parseBenchArgs(['--etl-runs', '7'])).toMatchObject({ etlRuns: 7 });
    expect(() => parseBenchArgs(['--etl-runs', '2'])).toThrow(
      '--etl-runs 2 is not valid: give a whole number >= 3.',
    );
  });

  it('reads --runs and --nx-runs', () => {
    expect(parseBenchArgs(['--runs', '31', '--nx-runs=3'])).toMatchObject({ runs: 31, nxRuns: 3 });
  });

  it('reads --media-runs and --sandbox-runs', () => {
    expect(parseBenchArgs(['--media-runs', '4', '--sandbox-runs=7'])).toMatchObject({
      mediaRuns: 4,
      sandboxRuns: 7,
    });
  });

  it('returns help for --help and -h', () => {
    expect(parseBenchArgs(['--help'])).toBe('help');
    expect(parseBenchArgs(['-h'])).toBe('help');
  });

  it.each([
    ['--runs', '14'],
    ['--runs', '20.5'],
    ['--runs', 'many'],
    ['--nx-runs', '2'],
    ['--media-runs', '2'],
    ['--sandbox-runs', 'x'],
    ['--etl-max-rows', '99999'],
    ['--etl-max-rows', '1e9.5'],
  ])('refuses %s %s with the minimum and the usage', (flag, value) => {
    expect(() => parseBenchArgs([flag, value])).toThrow(/whole number >= \d+[\s\S]*Usage:/);
  });

  it('refuses unknown options with the usage', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/Usage:/);
  });
});
