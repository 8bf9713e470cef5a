/**
 * Messages of the browser-mode WebSocket, the twin of Electron IPC. The server validates every client message
 * against these schemas; anything else gets a BAD_INPUT reply and changes nothing.
 */
import { z } from 'zod';

export const WS_PATH = '/api';

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string().max(100),
    input: z.unknown().optional(),
  }),
  z.object({ t: z.literal('sub'), event: z.string().max(100) }),
  z.object({ t: z.literal('unsub'), event: z.string().max(100) }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { t: 'result'; id: number; result: unknown }
  | { t: 'event'; event: string; payload: unknown }
  | { t: 'error'; message: string };
