import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './core/testing/fixtures';
import {
  CONTENT_SECURITY_POLICY,
  isAllowedNavigation,
  isAllowedUrl,
  isPermissionAllowed,
  secureWebPreferences,
} from './security';

describe('desktop window hardening', () => {
  it('declares an isolated, sandboxed window without Node in the page', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.js');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(prefs.preload).toBe('/app/out/preload/index.js');
  });

  it('uses that window options factory and the navigation guards in the composition root', () => {
    const main = fs.readFileSync(path.join(PROJECT_ROOT, 'src/main/index.ts'), 'utf8');
    expect(main).toMatch(/webPreferences: secureWebPreferences\(preloadPath\)/);
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/'will-navigate'/);
    expect(main).toMatch(/app\.enableSandbox\(\)/);
    expect(main).toMatch(/onBeforeRequest/);
    expect(main).not.toMatch(/nodeIntegration: true|contextIsolation: false|sandbox: false/);
  });

  it('exposes exactly one object to the page, window.api, and no raw IPC', () => {
    const dir = path.join(PROJECT_ROOT, 'src/preload');
    const sources = fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.[cm]?[jt]sx?$/.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const exposed = sources.flatMap((src) => [...src.matchAll(/exposeInMainWorld\(\s*([^,)]*)/g)].map((m) => m[1]));
    expect(exposed).toEqual(["'api'"]);
    // Any other way to put something on the page's window (the main world) counts as a second global.
    for (const src of sources) {
      expect(src).not.toMatch(/executeInMainWorld|exposeInIsolatedWorld|webFrame|window\.\w+\s*=/);
      expect(src).toMatch(/exposeInMainWorld\('api', createApiClient\(transport\)\)/);
    }
    // The renderer declares no other preload global either.
    const api = fs.readFileSync(path.join(PROJECT_ROOT, 'src/renderer/src/api/index.ts'), 'utf8');
    const globals = /interface Window \{([^}]*)\}/.exec(api)?.[1] ?? '';
    expect([...globals.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1])).toEqual(['api']);
  });

  it('has a strict Content-Security-Policy, identical in index.html and in the hosts', () => {
    const html = fs.readFileSync(path.join(PROJECT_ROOT, 'src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('allows only our own origin, and refuses navigation away and all permissions', () => {
    expect(isAllowedUrl('app://swaggy/index.html')).toBe(true);
    expect(isAllowedUrl('app://evil/index.html')).toBe(false);
    expect(isAllowedUrl('https://example.com/x.js')).toBe(false);
    expect(isAllowedUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedUrl('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true);
    expect(isAllowedUrl('http://localhost:5173/src/main.tsx')).toBe(false);
    expect(isAllowedUrl('http://evil.example:5173/', 'http://evil.example:5173')).toBe(false);
    expect(isAllowedNavigation('app://swaggy/index.html', 'app://swaggy/index.html')).toBe(true);
    expect(isAllowedNavigation('app://swaggy/index.html', 'https://phish.example/')).toBe(false);
    expect(isAllowedNavigation('app://swaggy/index.html', 'app://swaggy/other.html')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal'])
      expect(isPermissionAllowed(p)).toBe(false);
  });
});
