import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { isEventName } from '../../shared/contract';
import { err, formatZodError } from '../../shared/result';
import { clientMessageSchema, type ServerMessage, WS_PATH } from '../../shared/ws-protocol';
import type { Logger } from '../core/config';
import type { Dispatch } from '../core/dispatch';
import type { EventBus } from '../core/events';
import { CSP_HEADER } from '../security';
import { contentTypeOf, resolveRendererFile } from './content-types';

export interface WebHostOptions {
  dispatch: Dispatch;
  events: EventBus;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Per-launch secret; a random 256-bit token when omitted. */
  token?: string;
  log?: Logger;
}

export interface WebHost {
  /** The URL to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** A slow browser tab must not make the engine buffer without bound: events beyond this are dropped for it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Large enough for a CSV uploaded from the browser (`data.importText` allows 64 MB of text, sent as JSON). */
const MAX_MESSAGE_BYTES = 80 * 1024 * 1024;

/**
 * Browser mode: serves the built renderer and the API over a WebSocket, on 127.0.0.1 only. Every request needs
 * the per-launch token (from `?token=` once, then an HttpOnly SameSite=Strict cookie); a request without it gets
 * 401 and nothing else. Host and Origin are checked too, against DNS rebinding and cross-site sockets.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? crypto.randomBytes(32).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const log = options.log;
  let port = 0;
  let cookieName = 'swaggy_token';

  const tokenMatches = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  };

  const requestToken = (req: http.IncomingMessage, url: URL): string | undefined => {
    const fromQuery = url.searchParams.get('token');
    if (fromQuery) return fromQuery;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7);
    return parseCookies(req.headers.cookie)[cookieName];
  };

  const hostAllowed = (req: http.IncomingMessage): boolean => {
    const host = req.headers.host;
    return host === `${HOST}:${port}` || host === `localhost:${port}`;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (!tokenMatches(requestToken(req, url))) return deny(res, 401, 'Unauthorized');
    if (!hostAllowed(req)) return deny(res, 403, 'Forbidden host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed');

    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, so it leaves the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    serveStatic(rendererDir, url.pathname, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const origin = req.headers.origin;
    const originOk =
      origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
    if (!tokenMatches(requestToken(req, url))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (url.pathname !== WS_PATH || !hostAllowed(req) || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const subscriptions = new Map<string, () => void>();
    const send = (message: ServerMessage, droppable = false): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (droppable && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
      ws.send(JSON.stringify(message));
    };

    ws.on('message', async (data, isBinary) => {
      if (isBinary) return send({ t: 'error', message: 'Binary messages are not part of the API' });
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return send({ t: 'error', message: 'A message was not valid JSON' });
      }
      const parsed = clientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        const id = (raw as { id?: unknown } | null)?.id;
        const message = `Malformed API message: ${formatZodError(parsed.error)}`;
        if (typeof id === 'number') return send({ t: 'result', id, result: err('BAD_INPUT', message) });
        return send({ t: 'error', message });
      }
      const message = parsed.data;
      if (message.t === 'call') {
        const result = await options.dispatch(message.method, message.input, { origin: 'web' });
        send({ t: 'result', id: message.id, result });
      } else if (message.t === 'sub') {
        if (!isEventName(message.event) || subscriptions.has(message.event)) return;
        const name = message.event;
        subscriptions.set(
          name,
          options.events.on(name, (payload) => send({ t: 'event', event: name, payload }, true)),
        );
      } else {
        subscriptions.get(message.event)?.();
        subscriptions.delete(message.event);
      }
    });

    ws.on('close', () => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
    });
    ws.on('error', (e) => log?.warn('WebSocket error', e));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `swaggy_token_${port}`;
  const origin = `http://${HOST}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function deny(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const file = resolveRendererFile(root, pathname);
  if (!file) {
    deny(res, 404, 'Not found');
    return;
  }
  fs.stat(file, (statError, stat) => {
    if (statError || !stat.isFile()) return deny(res, 404, 'Not found');
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': stat.size,
      'Content-Security-Policy': CSP_HEADER,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
}
