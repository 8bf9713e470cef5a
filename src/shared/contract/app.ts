import { z } from 'zod';
import { progressSchema } from '../domain/progress';
import { settingKeys } from '../settings';
import { event, method, noInput } from './define';

export const appModeSchema = z.enum(['electron', 'browser', 'cli', 'test']);
export type AppMode = z.infer<typeof appModeSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: appModeSchema,
  dataDir: z.string(),
  databaseFile: z.string(),
  sqliteVersion: z.string(),
  schemaVersion: z.number().int(),
  platform: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const toolStatusSchema = z.object({
  name: z.string(),
  purpose: z.string(),
  path: z.string().nullable(),
});

export const doctorCheckSchema = z.object({
  name: z.string(),
  status: z.enum(['ok', 'warn', 'missing', 'error']),
  detail: z.string(),
});

export const doctorReportSchema = z.object({
  checks: z.array(doctorCheckSchema),
  tools: z.array(toolStatusSchema),
});
export type DoctorReport = z.infer<typeof doctorReportSchema>;
export type DoctorCheck = z.infer<typeof doctorCheckSchema>;

const settingKeySchema = z.enum(settingKeys as [string, ...string[]]);

export const appMethods = {
  'app.info': method({
    summary: 'Name, version, mode (electron, browser or cli), data directory and database versions.',
    input: noInput,
    output: appInfoSchema,
  }),
  'app.doctor': method({
    summary: 'A health report: runtime versions, database, and which optional system tools are installed.',
    input: noInput,
    output: doctorReportSchema,
  }),
  'settings.get': method({
    summary: 'One setting, or its default when it was never set.',
    input: z.object({ key: settingKeySchema }),
    output: z.object({ key: z.string(), value: z.unknown() }),
  }),
  'settings.set': method({
    summary: 'Validates and stores one setting; emits onSettingsChanged.',
    input: z.object({ key: settingKeySchema, value: z.unknown() }),
    output: z.object({ key: z.string(), value: z.unknown() }),
  }),
  'settings.list': method({
    summary: 'Every setting with its current value.',
    input: noInput,
    output: z.record(z.string(), z.unknown()),
  }),
} as const;

export const appEvents = {
  onSettingsChanged: event({
    summary: 'A setting was changed (by any window, the CLI or the engine).',
    payload: z.object({ key: z.string(), value: z.unknown() }),
  }),
  onNotice: event({
    summary: 'Something the trader should know that is not an answer to a request (a reset, a missing part).',
    payload: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), t: z.number() }),
  }),
  onProgress: event({
    summary: 'Progress of a long task (import, backtest, training, backfill): a bar in the desk.',
    payload: progressSchema,
  }),
} as const;
