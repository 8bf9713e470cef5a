import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { cleanupTempDirs, createTestEngine, makeTempDir } from '../core/testing/fixtures';
import { CSP_HEADER } from '../security';
import { startWebHost, type WebHost } from './web';

const hosts: WebHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  cleanupTempDirs();
});

async function setup() {
  const { engine } = createTestEngine();
  const rendererDir = makeTempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(path.dirname(rendererDir), `secret-${path.basename(rendererDir)}.txt`), 'secret');
  const host = await startWebHost({ dispatch: engine.dispatch, events: engine.events, rendererDir, port: 0 });
  hosts.push(host);
  return { engine, host };
}

/** A raw request, so that Host and paths are sent exactly as written (fetch would normalise them). */
function rawGet(port: number, pathname: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string> = {}) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Queues every message from the socket, so that none is lost between two awaits. */
function messageQueue(ws: WebSocket): () => Promise<Record<string, unknown>> {
  const queued: Record<string, unknown>[] = [];
  const waiting: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queued.push(message);
  });
  return () => {
    const next = queued.shift();
    return next ? Promise.resolve(next) : new Promise((resolve) => waiting.push(resolve));
  };
}

describe('browser-mode web host', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { host, engine } = await setup();
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
    await engine.close();
  });

  it('answers 401 and nothing else to a request without the token, or with a wrong one', async () => {
    const { host, engine } = await setup();
    for (const p of ['/', '/index.html', '/assets/app.js', '/api', '/?token=wrong']) {
      const res = await rawGet(host.port, p);
      expect(res.status, p).toBe(401);
      expect(res.body).toBe('Unauthorized');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const wrongCookie = await rawGet(host.port, '/', { cookie: `swaggy_token_${host.port}=x` });
    expect(wrongCookie.status).toBe(401);
    await engine.close();
  });

  it('trades the URL token for an HttpOnly cookie and serves the renderer with the CSP', async () => {
    const { host, engine } = await setup();
    const first = await rawGet(host.port, `/?token=${host.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await rawGet(host.port, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>desk</title>');
    expect(page.headers['content-security-policy']).toBe(CSP_HEADER);
    const asset = await rawGet(host.port, '/assets/app.js', { cookie });
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const bearer = await rawGet(host.port, '/assets/app.js', { authorization: `Bearer ${host.token}` });
    expect(bearer.status).toBe(200);
    await engine.close();
  });

  it('never serves a file outside the renderer folder, and refuses a foreign Host header', async () => {
    const { host, engine } = await setup();
    const auth = { authorization: `Bearer ${host.token}` };
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/%00.js']) {
      const res = await rawGet(host.port, p, auth);
      expect(res.body, p).not.toContain('secret');
      expect([200, 404, 400]).toContain(res.status);
    }
    const rebound = await rawGet(host.port, '/', { ...auth, host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(403);
    await engine.close();
  });

  it('refuses a socket without the token, with a wrong token or from a foreign origin', async () => {
    const { host, engine } = await setup();
    const wsUrl = `ws://127.0.0.1:${host.port}/api`;
    await expect(openSocket(wsUrl)).rejects.toThrow('HTTP 401');
    await expect(openSocket(`${wsUrl}?token=nope`)).rejects.toThrow('HTTP 401');
    await expect(openSocket(`${wsUrl}?token=${host.token}`, { origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
    await engine.close();
  });

  it('serves the API over the socket: calls, bad messages and events', async () => {
    const { host, engine } = await setup();
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, { origin: host.origin });
    const nextMessage = messageQueue(ws);
    const listenersBefore = engine.events.listenerCount('onSettingsChanged');

    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'app.info', input: {} }));
    const info = (await nextMessage()) as { t: string; id: number; result: { ok: boolean; value: { mode: string } } };
    expect(info).toMatchObject({ t: 'result', id: 1, result: { ok: true, value: { mode: 'test' } } });

    ws.send('{not json');
    expect(await nextMessage()).toEqual({ t: 'error', message: 'A message was not valid JSON' });
    ws.send(JSON.stringify({ t: 'call', id: 2, method: 7 }));
    expect(await nextMessage()).toMatchObject({
      t: 'result',
      id: 2,
      result: { ok: false, error: { code: 'BAD_INPUT' } },
    });
    ws.send(JSON.stringify({ t: 'call', id: 3, method: 'settings.set', input: { key: 'watchlist', value: 'AAPL' } }));
    expect(await nextMessage()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'BAD_INPUT' } } });

    ws.send(JSON.stringify({ t: 'sub', event: 'onSettingsChanged' }));
    ws.send(JSON.stringify({ t: 'call', id: 4, method: 'settings.set', input: { key: 'watchlist', value: ['msft'] } }));
    const messages = [await nextMessage(), await nextMessage()];
    expect(messages).toContainEqual({
      t: 'event',
      event: 'onSettingsChanged',
      payload: { key: 'watchlist', value: ['MSFT'] },
    });
    expect(messages).toContainEqual({
      t: 'result',
      id: 4,
      result: { ok: true, value: { key: 'watchlist', value: ['MSFT'] } },
    });

    ws.close();
    await new Promise((r) => ws.once('close', r));
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.events.listenerCount('onSettingsChanged')).toBe(listenersBefore);
    await engine.close();
  });
});
