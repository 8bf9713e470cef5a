/** Electron IPC channel names shared by the preload and the main-side host. */
export const IPC = {
  invoke: 'api:invoke',
  subscribe: 'api:subscribe',
  unsubscribe: 'api:unsubscribe',
  event: 'api:event',
} as const;
