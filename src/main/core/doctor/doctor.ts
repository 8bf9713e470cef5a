import fs from 'node:fs';
import type { DoctorCheck, DoctorReport } from '../../../shared/contract/app';
import type { Db } from '../db/database';
import { schemaVersion } from '../db/migrations';
import { electronBinaryStatus } from './electron-binary';
import { whichAny } from './which';

/** Optional system tools, what each is for, and the executable names to look for. */
export const optionalTools = [
  {
    name: 'chromium',
    purpose: 'end-to-end tests in browser mode',
    commands: ['chromium', 'chromium-browser', 'google-chrome'],
  },
  { name: 'sox', purpose: 'microphone capture (sox/rec recorder) and test audio', commands: ['sox'] },
  { name: 'arecord', purpose: 'microphone capture (ALSA recorder)', commands: ['arecord'] },
  {
    name: 'pocketsphinx',
    purpose: 'offline speech recognition',
    commands: ['pocketsphinx_continuous', 'pocketsphinx'],
  },
  { name: 'espeak-ng', purpose: 'fast spoken alerts', commands: ['espeak-ng'] },
  { name: 'festival', purpose: 'spoken alerts through `say` on Linux', commands: ['festival'] },
  { name: 'flite', purpose: 'fast spoken alerts (optional)', commands: ['flite'] },
  { name: 'pulseaudio', purpose: 'audio server for capture and speech on Linux desktops', commands: ['pulseaudio'] },
] as const;

export interface DoctorInput {
  db: Db;
  dataDir: string;
  databaseFile: string;
  projectRoot: string;
  env?: NodeJS.ProcessEnv;
}

/** An honest health report. Nothing here changes state; a missing optional tool is reported, not an error. */
export function runDoctor(input: DoctorInput): DoctorReport {
  const env = input.env ?? process.env;
  const checks: DoctorCheck[] = [];

  const nodeMajor = Number(process.versions.node.split('.')[0]);
  checks.push({
    name: 'Node.js',
    status: nodeMajor >= 20 ? 'ok' : 'error',
    detail: `v${process.versions.node}${process.versions.electron ? ` (inside Electron ${process.versions.electron})` : ''}`,
  });

  const electron = electronBinaryStatus(input.projectRoot);
  checks.push({
    name: 'Electron binary',
    status: electron.installed ? 'ok' : 'warn',
    detail: electron.installed
      ? electron.detail
      : `${electron.detail}; the app runs in browser mode (npm start serves the desk to your browser)`,
  });

  const sqlite = input.db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
  const journal = input.db.pragma('journal_mode', { simple: true });
  const fk = input.db.pragma('foreign_keys', { simple: true });
  checks.push({
    name: 'SQLite',
    status: journal === 'wal' && fk === 1 ? 'ok' : 'warn',
    detail: `SQLite ${sqlite.v}, journal ${String(journal)}, foreign keys ${fk === 1 ? 'on' : 'off'}, schema v${schemaVersion(input.db)}`,
  });

  let writable = true;
  try {
    fs.accessSync(input.dataDir, fs.constants.W_OK);
  } catch {
    writable = false;
  }
  const size = fs.existsSync(input.databaseFile) ? fs.statSync(input.databaseFile).size : 0;
  checks.push({
    name: 'Data directory',
    status: writable ? 'ok' : 'error',
    detail: `${input.dataDir} (${writable ? 'writable' : 'NOT writable'}; database ${formatBytes(size)})`,
  });

  const tools = optionalTools.map((tool) => ({
    name: tool.name,
    purpose: tool.purpose,
    path: whichAny(tool.commands, env),
  }));
  return { checks, tools };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
