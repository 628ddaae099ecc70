import { createHash, hkdfSync } from 'node:crypto';

/**
 * How the console authenticates, read from the environment:
 * - TALLY_PASSWORD unset: demo mode, no sign-in (`tally serve` then refuses non-loopback hosts);
 * - TALLY_PASSWORD: the admin password; TALLY_VIEWER_PASSWORD: an optional read-only one;
 * - TALLY_SECRET: the session-signing key. Without it the key is derived from the passwords
 *   (HKDF over both), so sessions survive a restart and changing a password signs everyone
 *   out. The admin password is part of the input, so a viewer cannot mint an admin token.
 */
export type AuthConfig =
  | { readonly mode: 'demo' }
  | {
      readonly mode: 'password';
      readonly adminPassword: string;
      readonly viewerPassword: string | null;
      readonly key: Buffer;
    };

type AuthEnv = Readonly<Record<string, string | undefined>>;

let cached: { fingerprint: string; config: AuthConfig } | undefined;

export function readAuthConfig(env: AuthEnv = process.env): AuthConfig {
  const admin = env.TALLY_PASSWORD || '';
  const viewer = env.TALLY_VIEWER_PASSWORD || '';
  const secret = env.TALLY_SECRET || '';
  const fingerprint = JSON.stringify([admin, viewer, secret]);
  if (cached?.fingerprint === fingerprint) return cached.config;

  let config: AuthConfig;
  if (!admin) config = { mode: 'demo' };
  else {
    const key = secret
      ? createHash('sha256').update('tally-session-key\0').update(secret).digest()
      : Buffer.from(hkdfSync('sha256', `${admin}\0${viewer}`, 'tally', 'tally-session-key', 32));
    config = { mode: 'password', adminPassword: admin, viewerPassword: viewer || null, key };
  }
  cached = { fingerprint, config };
  return config;
}
