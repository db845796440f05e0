// End-to-end tests of the console in headless Chromium (Debian's, no browser download),
// against the real server started on a fresh demo database by global-setup.mjs.
// Run with `cargo xtask e2e` (part of `cargo xtask ci`), which builds both first.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: '../../test-results/e2e',
  globalSetup: './global-setup.mjs',
  // the specs change one shared demo database (callback roles, agents): one at a time, in order
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    },
    timezoneId: 'UTC',
    locale: 'en-GB',
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: 'off',
  },
});
