// Starts `dialback serve --demo` on fresh databases and free ports, reads the console URL and
// token each prints, and hands them to the specs through the environment:
//   DIALBACK_URL/TOKEN           the server whose console the specs open
//   DIALBACK_OPEN_URL/TOKEN      another server that allows the first one's origin (CORS)
//   DIALBACK_CLOSED_URL/TOKEN    another server that does not
//   DIALBACK_OLDER_URL/TOKEN     a server answering by tzdata 2025b (`--tzdata`), whose
//                                console must follow it
//   DIALBACK_READONLY_TOKEN      a read-only token of the first server's environment
//   DIALBACK_EMPTY_TOKEN         a token of a new, empty environment on the first server
//   DIALBACK_SYNCED_TOKEN        a token of another environment of the first server, with a
//                                source (`dialback source add`) that syncs from the second
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bin = process.env.DIALBACK_BIN ?? path.join(root, 'target/release/dialback');

async function serve(dir, name, extra = []) {
  const server = spawn(
    bin,
    ['serve', '--demo', '--db', path.join(dir, `${name}.db`), '--listen', '127.0.0.1:0',
      '--static', path.join(root, 'web/dist'), ...extra],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let printed = '';
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} server did not start:\n${printed}`)), 60_000);
    server.on('exit', (code) => reject(new Error(`${name} server exited (${code}):\n${printed}`)));
    server.stdout.on('data', (chunk) => {
      printed += chunk;
      const url = printed.match(/Console \(connected\): (http:\/\/\S+)#token=(talq_[A-Za-z0-9_-]+)/);
      if (url) {
        clearTimeout(timer);
        resolve({ base: url[1].replace(/\/$/, ''), token: url[2] });
      }
    });
  });
  server.stdout.resume();
  return { ...started, stop: () => server.kill('SIGTERM') };
}

export default async function globalSetup() {
  rmSync(path.join(root, 'test-results/screenshots'), { recursive: true, force: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'dialback-e2e-'));
  const main = await serve(dir, 'demo');
  const [open, closed, older] = await Promise.all([
    serve(dir, 'open', ['--allow-origin', main.base]),
    serve(dir, 'closed'),
    serve(dir, 'older', ['--tzdata', path.join(root, 'tests/fixtures/zoneinfo-2025b'), '--tzdata-allow-older']),
  ]);
  for (const [prefix, s] of [['DIALBACK', main], ['DIALBACK_OPEN', open], ['DIALBACK_CLOSED', closed], ['DIALBACK_OLDER', older]]) {
    process.env[`${prefix}_URL`] = s.base;
    process.env[`${prefix}_TOKEN`] = s.token;
  }
  // made by the CLI while the server runs, as an operator would
  process.env.DIALBACK_READONLY_TOKEN = execFileSync(bin, ['token', 'create', '--env', 'demo',
    '--label', 'dashboards', '--read-only', '--db', path.join(dir, 'demo.db')]).toString().trim();
  process.env.DIALBACK_EMPTY_TOKEN = execFileSync(bin, ['env', 'create', '--name', 'empty',
    '--db', path.join(dir, 'demo.db')]).toString().trim();
  const demoDb = path.join(dir, 'demo.db');
  process.env.DIALBACK_SYNCED_TOKEN = execFileSync(bin, ['env', 'create', '--name', 'synced',
    '--db', demoDb]).toString().trim();
  const tokenFile = path.join(dir, 'open-token');
  writeFileSync(tokenFile, open.token);
  execFileSync(bin, ['source', 'add', 'talkover', '--env', 'synced', '--base', open.base,
    '--token-file', tokenFile, '--db', demoDb]);
  return async () => {
    for (const s of [main, open, closed, older]) s.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
