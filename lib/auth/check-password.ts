import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthConfig } from './auth-config';
import type { Role } from './session-token';

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time regardless of the lengths.
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** The role a password grants, or null. The admin password wins if both are equal. */
export function checkPassword(config: AuthConfig, candidate: string): Role | null {
  if (config.mode !== 'password') return null;
  const isAdmin = sameSecret(candidate, config.adminPassword);
  const isViewer = config.viewerPassword !== null && sameSecret(candidate, config.viewerPassword);
  if (isAdmin) return 'admin';
  if (isViewer) return 'viewer';
  return null;
}
