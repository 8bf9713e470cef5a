import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, makeTempDir, PROJECT_ROOT } from './core/testing/fixtures';

afterEach(cleanupTempDirs);

const biome = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'biome');

/** Lints one probe file placed at `relative` in a scratch copy of the lint configuration. */
function lintProbe(relative: string, source: string): { code: number; output: string } {
  const dir = makeTempDir();
  const config = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'biome.json'), 'utf8'));
  delete config.$schema;
  config.vcs = { enabled: false };
  fs.writeFileSync(path.join(dir, 'biome.json'), JSON.stringify(config));
  fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
  fs.writeFileSync(path.join(dir, relative), source);
  try {
    const output = execFileSync(biome, ['lint', '--max-diagnostics=50', relative], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (e) {
    const failure = e as { status: number; stdout: string; stderr: string };
    return { code: failure.status, output: `${failure.stdout}${failure.stderr}` };
  }
}

describe('import boundaries', () => {
  it('lint fails any import of electron under src/main/core, however it is written', () => {
    for (const source of [
      "import { app } from 'electron';\nexport const a = app;\n",
      "const { app } = require('electron');\nexport const a = app;\n",
      "export const later = import('electron');\n",
    ]) {
      const result = lintProbe('src/main/core/market/probe.ts', source);
      expect(result.code, source).not.toBe(0);
      expect(result.output).toMatch(/noRestrictedImports/);
    }
  });

  it('lint allows electron in the composition root and refuses Node modules in the renderer', () => {
    expect(lintProbe('src/main/index.ts', "import { app } from 'electron';\nexport const a = app;\n").code).toBe(0);
    const renderer = lintProbe('src/renderer/src/probe.ts', "import fs from 'node:fs';\nexport const f = fs;\n");
    expect(renderer.code).not.toBe(0);
    expect(renderer.output).toMatch(/noNodejsModules/);
  });

  it('no file under src/main/core imports electron today', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (
          /\.tsx?$/.test(entry.name) &&
          /from ['"]electron['"]|require\(['"]electron['"]\)/.test(fs.readFileSync(full, 'utf8'))
        ) {
          offenders.push(path.relative(PROJECT_ROOT, full));
        }
      }
    };
    walk(path.join(PROJECT_ROOT, 'src', 'main', 'core'));
    expect(offenders).toEqual([]);
  });
});
