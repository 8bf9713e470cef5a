import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../shared/client';
import { IPC } from '../../shared/ipc-channels';
import type { Result } from '../../shared/result';
import { cleanupTempDirs, createTestEngine } from '../core/testing/fixtures';
import { type IpcEventLike, type IpcMainLike, type IpcSenderLike, registerIpcApi } from './ipc';

/**
 * An in-process stand-in for Electron's ipcMain and one window, so the IPC host is tested without Electron
 * (as VS Code tests its IPC over a fake protocol pair).
 */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  listeners = new Map<string, ((event: IpcEventLike, ...args: unknown[]) => void)[]>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  }
  removeAllListeners(channel: string) {
    this.listeners.delete(channel);
  }
  async invoke(event: IpcEventLike, channel: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler for ${channel}`);
    return handler(event, ...args);
  }
  send(event: IpcEventLike, channel: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
}

class FakeSender implements IpcSenderLike {
  destroyed = false;
  sent: unknown[][] = [];
  private onDestroyed: (() => void)[] = [];
  constructor(readonly id: number) {}
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  once(_event: 'destroyed', listener: () => void) {
    this.onDestroyed.push(listener);
  }
  destroy() {
    this.destroyed = true;
    for (const l of this.onDestroyed) l();
  }
}

afterEach(cleanupTempDirs);

function setup() {
  const { engine } = createTestEngine();
  const ipcMain = new FakeIpcMain();
  const ourFrame = { url: 'app://swaggy/index.html' };
  const refused: string[] = [];
  const stop = registerIpcApi({
    ipcMain,
    dispatch: engine.dispatch,
    events: engine.events,
    isTrustedSender: (event) => event.senderFrame === ourFrame,
    onRefused: (what) => refused.push(what),
  });
  return { engine, ipcMain, ourFrame, refused, stop };
}

describe('IPC host', () => {
  it('answers our own main frame through the contract', async () => {
    const { engine, ipcMain, ourFrame } = setup();
    const sender = new FakeSender(1);
    const event = { sender, senderFrame: ourFrame };
    const api = createApiClient({
      invoke: (method, input) => ipcMain.invoke(event, IPC.invoke, method, input) as Promise<Result<unknown>>,
      subscribe: () => () => {},
    });
    const info = await api.app.info();
    expect(info.ok && info.value.mode).toBe('test');
    const bad = await api.settings.get({ key: 'nope' as never });
    expect(!bad.ok && bad.error.code).toBe('BAD_INPUT');
    await engine.close();
  });

  it('refuses any other frame, and subscriptions from it', async () => {
    const { engine, ipcMain, refused } = setup();
    const sender = new FakeSender(2);
    const strangerFrame = { url: 'app://swaggy/index.html' };
    const result = await ipcMain.invoke({ sender, senderFrame: strangerFrame }, IPC.invoke, 'app.info', {});
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
    const before = engine.events.listenerCount('onSettingsChanged');
    ipcMain.send({ sender, senderFrame: null }, IPC.subscribe, 'onSettingsChanged');
    expect(engine.events.listenerCount('onSettingsChanged')).toBe(before);
    expect(refused).toHaveLength(2);
    await engine.close();
  });

  it('forwards subscribed events to the window and stops when it is destroyed', async () => {
    const { engine, ipcMain, ourFrame } = setup();
    const sender = new FakeSender(3);
    const event = { sender, senderFrame: ourFrame };
    const before = engine.events.listenerCount('onSettingsChanged');
    ipcMain.send(event, IPC.subscribe, 'onSettingsChanged');
    ipcMain.send(event, IPC.subscribe, 'onSettingsChanged');
    ipcMain.send(event, IPC.subscribe, 'notAnEvent');
    expect(engine.events.listenerCount('onSettingsChanged')).toBe(before + 1);
    await ipcMain.invoke(event, IPC.invoke, 'settings.set', { key: 'watchlist', value: ['aapl'] });
    expect(sender.sent).toEqual([[IPC.event, 'onSettingsChanged', { key: 'watchlist', value: ['AAPL'] }]]);
    ipcMain.send(event, IPC.unsubscribe, 'onSettingsChanged');
    expect(engine.events.listenerCount('onSettingsChanged')).toBe(before);
    ipcMain.send(event, IPC.subscribe, 'onSettingsChanged');
    sender.destroy();
    expect(engine.events.listenerCount('onSettingsChanged')).toBe(before);
    await engine.close();
  });

  it('unregisters everything', async () => {
    const { engine, ipcMain, stop } = setup();
    stop();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.size).toBe(0);
    await engine.close();
  });
});
