import type { CliCommand } from '../command';

const MARK = { ok: 'ok  ', warn: 'warn', missing: 'miss', error: 'FAIL' } as const;

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Report Node, Electron, SQLite, the data directory and the optional system tools.',
  usage: 'doctor [--data-dir DIR] [--json]',
  async run(ctx) {
    const info = await ctx.call('app.info');
    const report = await ctx.call('app.doctor');
    if (ctx.args.includes('--json')) {
      ctx.out.write(`${JSON.stringify({ info, report }, null, 2)}\n`);
      return report.checks.some((c) => c.status === 'error') ? 1 : 0;
    }
    ctx.out.write(`Swaggy Stacks ${info.version} doctor (${info.platform})\n\n`);
    const width = Math.max(16, ...report.checks.map((c) => c.name.length));
    for (const check of report.checks) {
      ctx.out.write(`  [${MARK[check.status]}] ${check.name.padEnd(width)} ${check.detail}\n`);
    }
    ctx.out.write('\nOptional system tools:\n');
    for (const tool of report.tools) {
      const status = tool.path ? `found  ${tool.path}` : 'missing';
      ctx.out.write(
        `  [${tool.path ? 'ok  ' : 'miss'}] ${tool.name.padEnd(width)} ${status.padEnd(40)} (${tool.purpose})\n`,
      );
    }
    const failed = report.checks.filter((c) => c.status === 'error');
    ctx.out.write(failed.length ? `\n${failed.length} check(s) failed.\n` : '\nNo blocking problems.\n');
    return failed.length ? 1 : 0;
  },
};
