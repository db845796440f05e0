// How long one NDJSON import takes when the environment has many agents: routing must not
// redo per call the work that depends only on the directory.
//
//   node tests/load/import-many-agents.mjs [target/release/dialback] [agents] [calls]
//
// Starts `dialback serve --demo` on a temporary database, creates the agents (the first 50
// outbound ones are a callback agent's sources), imports `calls` calls (every other one an
// inbound callback) in one request and prints the time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [bin = 'target/release/dialback', agentCount = '2000', callCount = '100000'] = process.argv.slice(2);
const dir = mkdtempSync(path.join(tmpdir(), 'dialback-import-'));
const server = spawn(bin, ['serve', '--demo', '--db', path.join(dir, 'bench.db'), '--listen', '127.0.0.1:0'],
  { stdio: ['ignore', 'pipe', 'ignore'] });
try {
  const { base, token } = await new Promise((resolve, reject) => {
    let printed = '';
    server.on('exit', (code) => reject(new Error(`server exited (${code})`)));
    server.stdout.on('data', (chunk) => {
      printed += chunk;
      const m = printed.match(/(http:\/\/\S+)\/#token=(talq_\S+)/);
      if (m) resolve({ base: m[1], token: m[2] });
    });
  });
  const call = async (method, route, body, type = 'application/json') => {
    const res = await fetch(base + route, { method, body, headers: { authorization: `Bearer ${token}`, 'content-type': type } });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const outbound = [];
  for (let i = 0; i < Number(agentCount); i++) {
    const body = { name: `Outbound ${i}`, direction: 'outbound', phone_numbers: [`+1415600${String(i).padStart(4, '0')}`] };
    outbound.push((await call('POST', '/api/v1/agents', JSON.stringify(body))).data.id);
  }
  const handler = (await call('POST', '/api/v1/agents', JSON.stringify({ name: 'Handler', direction: 'inbound', phone_numbers: ['+14155559999'] }))).data.id;
  await call('POST', `/api/v1/agents/${handler}/callback`, JSON.stringify({ source_agent_ids: outbound.slice(0, 50) }));

  let seed = 1;
  const random = (n) => { seed = (seed * 48271) % 2147483647; return seed % n; };
  const lines = [];
  for (let i = 0; i < Number(callCount); i++) {
    const contact = `+4420794${String(random(100000)).padStart(5, '0')}`;
    const startedAt = new Date(Date.UTC(2026, 9, 1) + Math.floor((i * 28 * 86400) / Number(callCount)) * 1000).toISOString().replace('.000', '');
    lines.push(JSON.stringify(i % 2 === 0
      ? { direction: 'outbound', agent_id: outbound[random(outbound.length)], from: '+14156000000', to: contact, started_at: startedAt, status: 'no-answer', duration_seconds: 0 }
      : { direction: 'inbound', from: contact, to: '+14155559999', started_at: startedAt, status: 'completed', duration_seconds: 60 }));
  }
  const started = performance.now();
  const result = await call('POST', '/api/v1/calls/import', `${lines.join('\n')}\n`, 'application/x-ndjson');
  const seconds = (performance.now() - started) / 1000;
  if (result.data.created !== Number(callCount)) throw new Error(`imported ${JSON.stringify(result.data)}`);
  console.log(`${agentCount} agents: ${callCount} calls imported in ${seconds.toFixed(2)} s`);
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
