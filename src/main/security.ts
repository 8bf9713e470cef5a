/**
 * Security settings of the desktop window, declared in one place so that a test can check them. This file imports
 * Electron's types only: browser mode (web.ts) uses the same Content-Security-Policy without Electron.
 */
import type { WebPreferences } from 'electron';

/** The custom scheme the renderer is served from in the desktop app (never file://, never http). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'swaggy';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Strict CSP: only our own scripts, styles, images and socket; no inline script, no eval, no plugins, no frames,
 * no remote anything. `connect-src 'self'` also covers the browser-mode WebSocket on the same host and port.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "object-src 'none'",
].join('; ');

/** The same policy as an HTTP header, which can also forbid framing (a <meta> policy cannot). */
export const CSP_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/** The BrowserWindow's webPreferences: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/**
 * Whether the page may load or navigate to this URL: only our own origin (and, during development, the local
 * Vite dev server) and DevTools. Everything remote is refused.
 */
export function isAllowedUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (parsed.protocol === 'devtools:') return true;
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    if (parsed.origin === dev.origin && (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1')) return true;
    // Vite's HMR socket
    if ((parsed.protocol === 'ws:' || parsed.protocol === 'wss:') && parsed.host === dev.host) return true;
  }
  return false;
}

/** Navigation away from the loaded page is never allowed; reloading the same page is. */
export function isAllowedNavigation(currentUrl: string, targetUrl: string): boolean {
  try {
    const current = new URL(currentUrl);
    const target = new URL(targetUrl);
    return current.origin === target.origin && current.pathname === target.pathname;
  } catch {
    return false;
  }
}

/** Renderer permission requests (camera, notifications, geolocation...) are all refused: capture runs in main. */
export function isPermissionAllowed(_permission: string): boolean {
  return false;
}
