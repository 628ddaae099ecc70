/** Shared by the specs and the global setup (kept out of playwright.config.ts imports). */
export const E2E_PASSWORD = 'e2e-secret';
export const E2E_DATABASE_URL = 'postgres://postgres:tally@127.0.0.1:54339/tally';

/** The seeded schema (see global-setup.ts). */
export const SHOP = 'e2e_shop';
export const HOSTILE = 'a"; drop table x; --';
export const ODD = '50% off/sale';
/** looks like a percent-escape: must not be decoded twice */
export const ESCAPED = '%41';
