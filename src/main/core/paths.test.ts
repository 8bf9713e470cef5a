import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_DATA_ENV, sharedDataDir, sharedDataMissing } from './paths';
import { cleanupTempDirs, makeTempDir, PROJECT_ROOT, SHARED_DATA } from './testing/fixtures';

afterEach(cleanupTempDirs);

describe('sharedDataDir', () => {
  it('is ../shared/data beside the project when SWAGGY_SHARED_DATA is unset', () => {
    expect(sharedDataDir('/work/main', {})).toBe(path.join('/work', 'shared', 'data'));
  });

  it('follows SWAGGY_SHARED_DATA, resolved to an absolute path', () => {
    const dir = makeTempDir('swaggy-shared-');
    fs.mkdirSync(path.join(dir, 'market'));
    expect(sharedDataDir('/work/main', { [SHARED_DATA_ENV]: dir })).toBe(dir);
    expect(sharedDataDir('/work/main', { [SHARED_DATA_ENV]: 'data' })).toBe(path.resolve('data'));
    expect(fs.existsSync(path.join(sharedDataDir('/nowhere', { [SHARED_DATA_ENV]: dir }), 'market'))).toBe(true);
  });

  it('is what the test fixtures use', () => {
    expect(SHARED_DATA).toBe(sharedDataDir(PROJECT_ROOT));
  });

  it('says where it looked and how to point it elsewhere when the data is absent', () => {
    const message = sharedDataMissing('/nowhere/market/daily/x.csv', 'skipping the import');
    expect(message).toContain('/nowhere/market/daily/x.csv');
    expect(message).toContain(SHARED_DATA_ENV);
    expect(message).toMatch(/skipping the import$/);
  });
});
