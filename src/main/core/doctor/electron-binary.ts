import fs from 'node:fs';
import path from 'node:path';

export interface ElectronBinaryStatus {
  installed: boolean;
  /** The executable's path when installed. */
  path: string | null;
  /** The electron package's version, when the package is installed at all. */
  version: string | null;
  detail: string;
}

/**
 * Whether the Electron binary is on disk. Read from the electron package's files, not by importing it, so the
 * engine stays free of Electron. The package writes path.txt only after its binary download succeeded.
 */
export function electronBinaryStatus(projectRoot: string): ElectronBinaryStatus {
  const pkgDir = path.join(projectRoot, 'node_modules', 'electron');
  let version: string | null = null;
  try {
    version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version ?? null;
  } catch {
    return { installed: false, path: null, version: null, detail: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let relative: string | null = null;
  try {
    relative = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    // no path.txt: the binary download was skipped or failed
  }
  const candidate = override
    ? path.join(override, relative ?? 'electron')
    : relative
      ? path.join(pkgDir, 'dist', relative)
      : null;
  if (candidate && fs.existsSync(candidate)) {
    return { installed: true, path: candidate, version, detail: `Electron ${version} at ${candidate}` };
  }
  return {
    installed: false,
    path: null,
    version,
    detail: `electron ${version} is installed without its binary (the download was skipped, ELECTRON_SKIP_BINARY_DOWNLOAD, or failed)`,
  };
}

/** The project root: the nearest folder above `from` with a package.json naming swaggy-stacks. */
export function findProjectRoot(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'swaggy-stacks') return dir;
    } catch {
      // keep looking
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
