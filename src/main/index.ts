/**
 * The desktop app's composition root: one hardened window, the engine, and the API served over IPC.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { findProjectRoot } from './core/doctor/electron-binary';
import { createEngine, type Engine } from './core/engine';
import { readFlag } from './core/paths';
import { electronSqliteBindingPath, readPackageVersion } from './core/project';
import { contentTypeOf, resolveRendererFile } from './host/content-types';
import { registerIpcApi } from './host/ipc';
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  CSP_HEADER,
  isAllowedNavigation,
  isAllowedUrl,
  isPermissionAllowed,
  secureWebPreferences,
} from './security';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, '..', 'preload', 'index.js');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

// Every web contents, present and future: no navigation away, no new windows, no webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(contents.getURL(), url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start, (e) => fail(e));
}

let engine: Engine | undefined;
let mainWindow: BrowserWindow | undefined;

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  console.error(message);
  dialog.showErrorBox('Swaggy Stacks cannot start', message);
  app.exit(1);
}

function start(): void {
  const projectRoot = findProjectRoot(app.getAppPath());
  const flagDir = readFlag(process.argv, '--data-dir');
  const dataDir = flagDir ? path.resolve(flagDir) : (process.env.SWAGGY_DATA_DIR ?? app.getPath('userData'));
  const binding = electronSqliteBindingPath(projectRoot);
  try {
    engine = createEngine({
      dataDir,
      mode: 'electron',
      version: readPackageVersion(projectRoot),
      projectRoot,
      sqliteNativeBinding: fs.existsSync(binding) ? binding : undefined,
    });
  } catch (e) {
    fail(e);
    return;
  }

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isPermissionAllowed(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
  // No remote content: any request outside our own origin (or the dev server) is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedUrl(details.url, devServerUrl) }));

  protocol.handle(APP_SCHEME, (request) => serveRenderer(request.url));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'appMenu' as const, visible: process.platform === 'darwin' },
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );

  mainWindow = new BrowserWindow({
    width: 1600,
    height: 1000,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Swaggy Stacks',
    webPreferences: secureWebPreferences(preloadPath),
  });
  const win = mainWindow;
  const current = engine;
  const stopIpc = registerIpcApi({
    ipcMain,
    dispatch: current.dispatch,
    events: current.events,
    isTrustedSender: (event) => {
      const frame = event.senderFrame as Electron.WebFrameMain | null;
      return (
        !win.isDestroyed() &&
        frame !== null &&
        frame === win.webContents.mainFrame &&
        isAllowedUrl(frame.url, devServerUrl)
      );
    },
    onRefused: (what) => current.log.warn(`Refused an IPC ${what} from an untrusted sender`),
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    stopIpc();
    mainWindow = undefined;
  });
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}

function serveRenderer(url: string): Response {
  const { host, pathname } = new URL(url);
  const file = host === APP_HOST ? resolveRendererFile(rendererDir, pathname) : null;
  if (!file || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
  return new Response(fs.readFileSync(file), {
    headers: {
      'Content-Type': contentTypeOf(file),
      'Content-Security-Policy': CSP_HEADER,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

app.on('window-all-closed', () => {
  app.quit();
});

app.on('will-quit', () => {
  void engine?.close();
});
