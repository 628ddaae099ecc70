import { defineConfig } from '@playwright/test';
import { E2E_PASSWORD } from './e2e/e2e-env';

/**
 * End-to-end: the real console (production build), the real embedded PostgreSQL on its own
 * port and data directory, Debian's Chromium. The server is built fresh for each run unless
 * E2E_SKIP_BUILD=1, so a stale .next never gets tested by mistake.
 */
const E2E_PORT = 3100;
const E2E_PG_PORT = 54339;

// A fresh database every run: summaries left by an earlier run would change what the specs see.
const serve = `rm -rf .tally/e2e-pgdata && node bin/tally.mjs serve --port ${E2E_PORT} --demo-scale small`;

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  // Runs after the web server is up: seeds the e2e schemas through SQL, not the UI.
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  webServer: {
    command: process.env.E2E_SKIP_BUILD ? serve : `npx next build && ${serve}`,
    url: `http://127.0.0.1:${E2E_PORT}/signin`,
    // first run: next build plus loading the small demo
    timeout: 10 * 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      TALLY_DATA_DIR: '.tally/e2e-pgdata',
      TALLY_EMBEDDED_PORT: String(E2E_PG_PORT),
      TALLY_PASSWORD: E2E_PASSWORD,
      TALLY_VIEWER_PASSWORD: '',
      TALLY_SECRET: '',
      DATABASE_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
