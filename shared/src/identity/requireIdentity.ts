import type { KeyObject } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { sendError } from '../http.ts';
import { identityHeader, verifyIdentity, type Identity } from './identity.ts';

const identities = new WeakMap<Request, Identity>();

/**
 * A subgraph's guard, after /health, /ready and /metrics (which answer
 * anyone on the internal network): every other request must carry the
 * gateway's signed identity, else 401 and nothing else is looked at.
 */
export function requireIdentity(secret: KeyObject): RequestHandler {
  return (req, res, next) => {
    try {
      identities.set(req, verifyIdentity(req.get(identityHeader), secret));
    } catch (error) {
      return sendError(res, error as Parameters<typeof sendError>[1]);
    }
    next();
  };
}

/** The identity requireIdentity checked for this request. */
export function identityOf(req: Request): Identity {
  const identity = identities.get(req);
  if (!identity) throw new Error('identityOf called on a request requireIdentity did not see');
  return identity;
}
