// Starts `dialback serve --demo` on a fresh database and a free port, reads the console URL
// and token it prints, and hands them to the specs through the environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function globalSetup() {
  rmSync(path.join(root, 'test-results/screenshots'), { recursive: true, force: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'dialback-e2e-'));
  const bin = process.env.DIALBACK_BIN ?? path.join(root, 'target/release/dialback');
  const server = spawn(
    bin,
    ['serve', '--demo', '--db', path.join(dir, 'demo.db'), '--listen', '127.0.0.1:0',
      '--static', path.join(root, 'web/dist')],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let printed = '';
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${printed}`)), 60_000);
    server.on('exit', (code) => reject(new Error(`server exited (${code}):\n${printed}`)));
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
  process.env.DIALBACK_URL = started.base;
  process.env.DIALBACK_TOKEN = started.token;
  return async () => {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
}
