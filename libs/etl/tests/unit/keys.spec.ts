import {
  EtlInputError,
  parseRawKey,
  quarantineObjectKey,
  quarantineRowsKey,
  stagingKey,
} from '../../src';

describe('keys', () => {
  it('derives staging and quarantine keys from a raw key', () => {
    const raw = 'raw/lms/dt=2026-03-01/events-0001.ndjson.gz';
    expect(parseRawKey(raw)).toEqual({
      source: 'lms',
      date: '2026-03-01',
      name: 'events-0001.ndjson.gz',
    });
    expect(stagingKey(raw)).toBe('staging/lms/dt=2026-03-01/events-0001.ndjson.gz.parquet');
    expect(quarantineRowsKey(raw)).toBe(
      'quarantine/lms/dt=2026-03-01/events-0001.ndjson.gz.rejected.ndjson',
    );
    expect(quarantineObjectKey(raw)).toBe('quarantine/lms/dt=2026-03-01/events-0001.ndjson.gz');
  });

  it('refuses keys outside raw/<source>/dt=YYYY-MM-DD/', () => {
    expect(() => parseRawKey('uploads/a.json')).toThrow(EtlInputError);
    expect(() => parseRawKey('raw/lms/dt=2026-13-01/a.json')).toThrow(
      /raw\/<source>\/dt=YYYY-MM-DD/,
    );
  });
});
