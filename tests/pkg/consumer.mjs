// A scratch project with the packed package installed, as a consumer has it: `npm pack` of
// pkg/, then `npm install` of the tarball. Shared by the package's test files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** The scratch project's directory (remove it when done). */
export function installConsumer() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'dialback-consumer-'));
  execFileSync('npm', ['pack', path.join(root, 'pkg'), '--pack-destination', scratch, '--silent'], { cwd: scratch });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({
    name: 'consumer', private: true, type: 'module', dependencies: { 'dialback-core': `file:./${tarball}` },
  }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--silent'], { cwd: scratch });
  return scratch;
}

/** `tsc --noEmit --strict` on `file` in `dir`, with both module resolutions a consumer may use. */
export function typecheck(dir, file) {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  for (const resolution of [['--module', 'nodenext', '--moduleResolution', 'nodenext'], ['--module', 'esnext', '--moduleResolution', 'bundler']]) {
    try {
      execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,esnext.disposable,dom', '--skipLibCheck', 'false', ...resolution, file],
        { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      throw new Error(`tsc ${resolution.join(' ')}:\n${e.stdout}${e.stderr}`);
    }
  }
}
