// `dialback-core/live` as a consumer installs it, against a real server (the release binary):
// events as writes commit them, each checked by the core; the filters checked as the server
// checks them; resume by id; reconnecting by itself across a server restart, with nothing
// missed; a refused request thrown with its code; the types compiled.
//
// Run by `cargo xtask ci` after `cargo xtask pkg` and a release build: node --test tests/pkg/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { installConsumer, root, typecheck } from './consumer.mjs';

const bin = process.env.DIALBACK_BIN ?? path.join(root, 'target/release/dialback');
let scratch;
let dir;
let live;
let server;
let base;
let token;
let port;

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function serve() {
  const child = spawn(bin, ['serve', '--db', path.join(dir, 'live.db'), '--listen', `127.0.0.1:${port}`, '--static', '/nonexistent'],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
    child.stdout.on('data', (c) => { out += c; if (out.includes('listening on')) resolve(); });
  });
  child.stdout.resume();
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { stop: async () => { child.kill('SIGTERM'); await exited; } };
}

async function call(p, body) {
  const r = await fetch(base + p, {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await r.json();
  assert.ok(r.ok, `${p}: ${r.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Takes `n` items from a stream being iterated, failing after a few seconds. */
async function take(iterator, n) {
  const out = [];
  const until = Date.now() + 10_000;
  while (out.length < n) {
    const next = await Promise.race([iterator.next(), new Promise((_, reject) => setTimeout(() => reject(new Error(`${out.length} of ${n} after 10 s`)), until - Date.now()))]);
    assert.equal(next.done, false, 'the stream ended');
    out.push(next.value);
  }
  return out;
}

const outbound = (agent, to) => ({ direction: 'outbound', agent_id: agent, to, started_at: '2026-12-01T10:00:00Z', status: 'no-answer' });
const inbound = (from) => ({ direction: 'inbound', from, to: '+14155550100', started_at: '2026-12-01T11:00:00Z', status: 'completed', duration_seconds: 30 });

before(async () => {
  scratch = installConsumer();
  writeFileSync(path.join(scratch, 'live.mjs'), "export * from 'dialback-core/live';\n");
  live = await import(path.join(scratch, 'live.mjs'));
  dir = mkdtempSync(path.join(tmpdir(), 'dialback-live-'));
  token = execFileSync(bin, ['env', 'create', '--name', 'live', '--db', path.join(dir, 'live.db')]).toString().trim();
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await serve();
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

test('filters are checked as the server checks them', () => {
  assert.equal(live.eventsQuery(['event_callback_routed'], null), 'types=event_callback_routed');
  assert.equal(live.eventsQuery(null, null), '');
  assert.throws(() => live.eventsQuery(['calls'], null), { name: 'DialbackError', code: 'INVALID_EVENT_TYPE' });
  assert.throws(() => live.eventsQuery(null, 'nope'), { name: 'DialbackError', code: 'INVALID_AGENT_ID' });
});

test('events arrive checked; a resume gets what was missed; a restart is crossed with nothing lost', async () => {
  const controller = new AbortController();
  const stream = live.streamEvents(base, { token, signal: controller.signal });
  const first = take(stream, 3);
  await new Promise((r) => setTimeout(r, 300)); // the stream is open before the writes
  const handler = await call('/api/v1/agents', { name: 'Callback Handler', direction: 'inbound', phone_numbers: ['+14155550100'] });
  const source = await call('/api/v1/agents', { name: 'Sales', direction: 'outbound' });
  await call(`/api/v1/agents/${handler.id}/callback`, { source_agent_ids: [source.id] });
  const setup = await first;
  assert.deepEqual(setup.map((e) => e.event), ['event_agent_changed', 'event_agent_changed', 'event_agent_changed']);
  assert.deepEqual(setup[2].data.callback_config.source_agent_ids, [source.id]);
  assert.match(setup[0].id, /^\d+$/);

  await call('/api/v1/calls', outbound(source.id, '+15005550006'));
  await call('/api/v1/calls', inbound('+15005550006'));
  const calls = await take(stream, 3);
  assert.deepEqual(calls.map((e) => e.event), ['event_phone_call_ended', 'event_callback_routed', 'event_phone_call_ended']);
  assert.equal(calls[1].data.routing.reason_code, 'MATCHED');
  assert.equal(calls[1].agent_name, 'Callback Handler');
  const lastSeen = calls[2].id;

  // the server restarts: the stream reconnects by itself, after the last id it read
  await server.stop();
  server = await serve();
  await call('/api/v1/calls', outbound(source.id, '+15005550007'));
  const [after] = await take(stream, 1);
  assert.equal(after.event, 'event_phone_call_ended');
  assert.equal(after.data.to, '+15005550007');
  assert.ok(BigInt(after.id) > BigInt(lastSeen));
  controller.abort();

  // a new stream resuming from an id gets exactly what came after it, in order
  await call('/api/v1/calls', outbound(source.id, '+15005550008'));
  const resumed = live.streamEvents(base, { token, lastEventId: lastSeen, types: ['event_phone_call_ended'] });
  const missed = await take(resumed, 2);
  assert.deepEqual(missed.map((e) => e.data.to), ['+15005550007', '+15005550008']);
  await resumed.return();
});

test('a refused request is thrown with its code', async () => {
  const refused = live.streamEvents(base, { token: 'talq_nope' });
  await assert.rejects(refused.next(), { name: 'DialbackError', status: 401 });
  const bad = live.streamEvents(base, { token, lastEventId: 'yesterday' });
  await assert.rejects(bad.next(), { name: 'DialbackError', code: 'INVALID_LAST_EVENT_ID' });
});

test('the types compile for a consumer', () => {
  writeFileSync(path.join(scratch, 'live-consumer.ts'), `
import { streamEvents, eventsQuery, type LiveEvent, type Reset } from 'dialback-core/live';
async function watch(signal: AbortSignal): Promise<number> {
  let unmatched = 0;
  for await (const e of streamEvents('http://127.0.0.1:8080', { token: 'talq_x', types: ['event_callback_routed'], signal })) {
    if (e.event === 'reset') { const r: Reset = e; void r.code; continue; }
    const ev: LiveEvent = e;
    if (ev.event === 'event_callback_routed' && ev.data.routing?.reason_code !== 'MATCHED') unmatched += 1;
    if (ev.event === 'event_agent_changed') { const n: string = ev.data.name; void n; }
  }
  return unmatched;
}
void watch;
const q: string = eventsQuery(['event_phone_call_ended'], null);
void q;
// @ts-expect-error: not an event type
streamEvents('http://x', { token: 't', types: ['calls'] });
`);
  typecheck(scratch, 'live-consumer.ts');
});
