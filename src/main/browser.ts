/**
 * Browser mode: the engine and the desk served on 127.0.0.1, for machines without the Electron binary (and for
 * the end-to-end tests). `node out/main/browser.js [--port N] [--data-dir DIR] [--reason TEXT]`.
 */
import path from 'node:path';
import { DatabaseOpenError } from './core/db/errors';
import { electronBinaryStatus, findProjectRoot } from './core/doctor/electron-binary';
import { createEngine } from './core/engine';
import { readFlag, resolveDataDir } from './core/paths';
import { readPackageVersion } from './core/project';
import { startWebHost } from './host/web';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const projectRoot = findProjectRoot(__dirname);
  const dataDir = resolveDataDir(argv);
  const portFlag = readFlag(argv, '--port');
  const port = portFlag === undefined ? 41780 : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535 (got "${portFlag}")`);
    process.exit(2);
  }

  let engine: ReturnType<typeof createEngine>;
  try {
    engine = createEngine({ dataDir, mode: 'browser', version: readPackageVersion(projectRoot), projectRoot });
  } catch (e) {
    if (e instanceof DatabaseOpenError) {
      console.error(`Swaggy Stacks cannot start: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }

  const rendererDir = path.join(__dirname, '..', 'renderer');
  const options = { dispatch: engine.dispatch, events: engine.events, rendererDir, log: engine.log };
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({ ...options, port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || portFlag !== undefined) throw e;
    host = await startWebHost({ ...options, port: 0 });
  }

  const reason = readFlag(argv, '--reason') ?? electronBinaryStatus(projectRoot).detail;
  console.log(`Swaggy Stacks ${engine.config.version}: browser mode`);
  console.log(`Why: ${reason}.`);
  console.log(`Open the desk: ${host.url}`);
  console.log(`Data directory: ${dataDir}`);
  console.log('Only this machine can connect (127.0.0.1), and only with the token in that URL. Ctrl+C stops.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
