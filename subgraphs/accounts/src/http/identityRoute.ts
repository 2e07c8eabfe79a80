import express, { type Router } from 'express';
import { AppError } from '@filegraph/shared/errors';
import type { AccountService } from '../accounts/AccountService.ts';

/** Longer than any session id or token; past it, it is neither. */
const maxCredential = 512;

function credential(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > maxCredential)
    throw new AppError(
      'BAD_USER_INPUT',
      `${field} must be a string (at most ${maxCredential} characters) or null.`,
    );
  return value;
}

/**
 * POST /identity, for the gateway (behind requireIdentity like everything
 * but /health, /ready and /metrics): body `{ "session": string | null,
 * "token": string | null }` — the session cookie's value and the Bearer
 * token as the client sent them — answered with `{ "caller": { id, role,
 * firstAdmin } | null }`: null when neither stands for a signed-in user now.
 */
export function identityRoute(accounts: AccountService): Router {
  const router = express.Router();
  router.post('/identity', express.json({ limit: '4kb' }), async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new AppError(
        'BAD_USER_INPUT',
        'Send a JSON object: { "session": string | null, "token": string | null }.',
      );
    const record = body as Record<string, unknown>;
    const caller = await accounts.resolve({
      session: credential(record, 'session'),
      token: credential(record, 'token'),
    });
    res.set('Cache-Control', 'no-store').json({ caller });
  });
  return router;
}
