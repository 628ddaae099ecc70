import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * A session is a signed token, not a server-side record: `<payload>.<mac>`, both base64url,
 * where payload is JSON `{ v, role, iat, exp }` and mac = HMAC-SHA256(key, payload text).
 * The console keeps no session table, so signing out clears the cookie; a stolen token stays
 * valid until it expires (SESSION_TTL_SECONDS), which is why sessions are short.
 */
export const roleSchema = z.enum(['admin', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

const payloadSchema = z.strictObject({
  v: z.literal(1),
  role: roleSchema,
  /** issued at, unix seconds */
  iat: z.number().int(),
  /** expires at, unix seconds */
  exp: z.number().int(),
});
export type SessionPayload = z.infer<typeof payloadSchema>;

export interface Session {
  readonly role: Role;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function createSessionToken(
  session: { role: Role; expiresAt: Date; issuedAt?: Date },
  key: Buffer,
): string {
  const payload: SessionPayload = {
    v: 1,
    role: session.role,
    iat: Math.floor((session.issuedAt ?? new Date()).getTime() / 1000),
    exp: Math.floor(session.expiresAt.getTime() / 1000),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The session a token carries, or null when it is malformed, tampered with or expired. */
export function verifySessionToken(token: string, key: Buffer, now = new Date()): Session | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [body, signature] = parts as [string, string];
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  // The MAC is checked before the payload is even parsed, in constant time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return null;
  if (parsed.data.exp * 1000 <= now.getTime()) return null;
  return {
    role: parsed.data.role,
    issuedAt: new Date(parsed.data.iat * 1000),
    expiresAt: new Date(parsed.data.exp * 1000),
  };
}
