import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir } from '../../core/testing/fixtures';
import { runCommand } from '../testing';
import { newsCommand } from './news';

afterEach(cleanupTempDirs);

const run = (args: string[]) => runCommand(newsCommand, args);

describe('news command', () => {
  it('imports and scores news, reports rejected lines by number, and the sentiment slot reads them', async () => {
    const dataDir = makeTempDir();
    const file = path.join(dataDir, 'posts.csv');
    fs.writeFileSync(
      file,
      'time,symbol,text\n2024-01-02T15:00:00Z,TSLA,Tesla to the moon after record deliveries\nyesterday-ish,TSLA,unreadable time\n2024-01-03T15:00:00Z,TSLA,Tesla bagholders crushed as shares plunge\n',
    );
    const r = await run(['--data-dir', dataDir, file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Imported 2 of 3 records from posts.csv (csv); 0 already stored, 1 rejected.');
    expect(r.stdout).toMatch(/Scored by yi-lexicon-[\d.]+: 1 positive, 1 negative, 0 neutral\./);
    expect(r.stdout).toMatch(/line 3: .*yesterday-ish/);
    const again = await run(['--data-dir', dataDir, file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, duplicates: 2, symbols: ['TSLA'] });
  });

  it('says what is wrong with the command line or the file', async () => {
    const dataDir = makeTempDir();
    expect(await run(['--data-dir', dataDir])).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage') });
    expect(await run(['--data-dir', dataDir, 'a.csv', '--fast'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown option --fast'),
    });
    const missing = await run(['--data-dir', dataDir, path.join(dataDir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv/);
  });
});
