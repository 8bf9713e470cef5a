import { z } from 'zod';
import {
  accountSummarySchema,
  equityPointSchema,
  fillSchema,
  orderChangesSchema,
  orderRequestSchema,
  orderSchema,
  orderStatusFilterSchema,
  positionSchema,
} from '../domain/broker';
import { event, method, noInput } from './define';

/**
 * The paper broker's methods. Orders, cancels and replaces answer `REJECTED` (an impossible order, with the
 * reason; nothing changed), `NOT_FOUND` (no such order) or `CONFLICT` (the order is no longer working).
 */
export const brokerMethods = {
  'orders.place': method({
    summary:
      'Places a paper order (market, limit, stop, stop-limit, optionally a bracket); answers the accepted order.',
    input: orderRequestSchema,
    output: orderSchema,
  }),
  'orders.cancel': method({
    summary: 'Cancels a working order (and the exits of a bracket entry that has not filled).',
    input: z.object({ id: z.number().int() }),
    output: orderSchema,
  }),
  'orders.replace': method({
    summary: 'Changes the quantity, prices or time in force of a working order, keeping its id.',
    input: z.object({ id: z.number().int() }).extend(orderChangesSchema.shape),
    output: orderSchema,
  }),
  'orders.list': method({
    summary: 'Orders, newest first: working ones, closed ones, all (default), or one status.',
    input: z
      .object({
        status: orderStatusFilterSchema.optional(),
        symbol: z.string().optional(),
        limit: z.number().int().positive().max(10_000).optional(),
      })
      .optional(),
    output: z.array(orderSchema),
  }),
  'fills.list': method({
    summary: 'Fills, newest first.',
    input: z
      .object({
        symbol: z.string().optional(),
        orderId: z.number().int().optional(),
        limit: z.number().int().positive().max(10_000).optional(),
      })
      .optional(),
    output: z.array(fillSchema),
  }),
  'positions.list': method({
    summary: 'Open positions at the last marks (flat symbols too with includeFlat, for their realised P&L).',
    input: z.object({ includeFlat: z.boolean().optional() }).optional(),
    output: z.array(positionSchema),
  }),
  'account.summary': method({
    summary: 'Cash, equity, realised and unrealised P&L, commissions, buying power and margin state.',
    input: noInput,
    output: accountSummarySchema,
  }),
  'account.equityCurve': method({
    summary: 'The stored equity curve in market time, thinned to at most maxPoints (default 2,000).',
    input: z
      .object({
        fromT: z.number().int().optional(),
        toT: z.number().int().optional(),
        maxPoints: z.number().int().min(2).max(100_000).optional(),
      })
      .optional(),
    output: z.array(equityPointSchema),
  }),
  'account.reset': method({
    summary: 'Starts the paper account again: cancels everything, clears history, sets the starting cash.',
    input: z.object({ startingCashCents: z.number().int().positive().max(1e15).optional() }).optional(),
    output: accountSummarySchema,
  }),
} as const;

export const brokerEvents = {
  onOrder: event({
    summary: 'An order was accepted, filled (partly), replaced, cancelled or expired: its new state.',
    payload: orderSchema,
  }),
  onFill: event({
    summary: 'A paper fill.',
    payload: fillSchema,
  }),
  onAccount: event({
    summary: 'The account after a state change, and at most once per equity sample of market time.',
    payload: accountSummarySchema,
  }),
} as const;
