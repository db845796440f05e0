// Synthetic agents and calls in the exact shapes `GET /api/v1/agents` and
// `GET /api/v1/calls/export` write (Talkover's documented agent object and call item, one
// call per line), with routing decisions on inbound calls, for the benchmark and the Node
// tests. `node tests/pkg/calls.mjs` rewrites tests/fixtures/pkg/{agents.json,calls.ndjson}.

const uuid = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const SOURCES = Array.from({ length: 8 }, (_, i) => uuid(0x100 + i));
export const CALLBACK_AGENTS = [uuid(0x200), uuid(0x201)];
export const PLAIN_AGENT = uuid(0x300);

const number = (n) => ({
  id: uuid(0x9000 + n), number: `+1415555${n}`, country_code: 'US',
  formatted_number: `(415) 555-${n}`, international_number: `+1 415-555-${n}`, current_status: 'active',
});
const agent = (id, name, direction, n, extra = {}) => ({
  id, name, label: name, description: null, language: 'en-US', voice: null, initial_message: null,
  interrupt_sensitivity: 'medium', conversation_speed: 1.0, initial_message_delay: 0,
  ask_if_human_present_on_idle: false, direction, who_speaks_first: 'agent', current_status: 'published',
  is_sandbox: false, is_ready_to_publish: true, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z',
  trainings: [], actions: [], phone_numbers: [number(n)], ...extra,
});

export const AGENTS = [
  ...SOURCES.map((id, i) => agent(id, `Outbound ${i + 1}`, 'outbound', 1000 + i)),
  ...CALLBACK_AGENTS.map((id, i) => agent(id, `Callbacks ${i + 1}`, 'inbound', 2000 + i, {
    callback_config: { source_agent_ids: i === 0 ? SOURCES.slice(0, 4) : SOURCES.slice(4) },
  })),
  agent(PLAIN_AGENT, 'Support', 'inbound', 3000),
];
const NAMES = new Map(AGENTS.map((a) => [a.id, a.name]));
const ref = (id) => `{"id":"${id}","name":"${NAMES.get(id)}","label":"${NAMES.get(id)}"}`;

const STATUSES = ['completed', 'completed', 'no-answer', 'answered', 'busy', 'voicemail'];

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (secs) => new Date(secs * 1000).toISOString().slice(0, 19) + 'Z';

/** `count` calls over the 90 days before `end` (Unix seconds), oldest first, as NDJSON. */
export function ndjson(count, end = Date.UTC(2024, 5, 30) / 1000, seed = 7) {
  const random = rng(seed);
  const start = end - 90 * 86400;
  const lines = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(start + (i / count) * (end - start));
    const status = STATUSES[Math.floor(random() * STATUSES.length)];
    const duration = status === 'completed' ? 30 + Math.floor(random() * 600) : 0;
    const contact = `+4420794${String(Math.floor(random() * 100000)).padStart(5, '0')}`;
    const times = `"created_at":"${iso(at)}","updated_at":"${iso(at + duration)}"`;
    const common = `"id":"${i + 1}","sid":null`;
    if (random() < 0.6) {
      const s = Math.floor(random() * SOURCES.length);
      lines[i] = `{${common},"to":"${contact}","to_formatted":null,"from":"+1415555${1000 + s}","from_formatted":"(415) 555-${1000 + s}","is_testing":false,"direction":"outbound","status":"${status}","duration":${duration},${times},"agent":${ref(SOURCES[s])}}`;
      continue;
    }
    const r = random();
    let routing;
    let to;
    let agentId = null;
    if (r < 0.7) {
      const c = r < 0.35 ? 0 : 1;
      to = `+1415555${2000 + c}`;
      agentId = CALLBACK_AGENTS[c];
      if (r < 0.55) {
        const s = SOURCES[c * 4 + Math.floor(random() * 4)];
        const age = Math.floor(random() * 20 * 86400);
        routing = `{"outcome":"matched","callback_agent_id":"${CALLBACK_AGENTS[c]}","last_call":{"source_agent_id":"${s}","outbound_call_id":${i},"started_at":"${iso(at - age)}","status":"no-answer","age_seconds":${age}},"lookback_days":30,"reason_code":"MATCHED","explanation":"matched: an outbound agent called this contact recently (within the 30-day window)"}`;
      } else {
        routing = `{"outcome":"unmatched","callback_agent_id":"${CALLBACK_AGENTS[c]}","reason":{"code":"NO_OUTBOUND_CALL"},"reason_code":"NO_OUTBOUND_CALL","explanation":"unmatched: no source agent has called this number"}`;
      }
    } else if (r < 0.9) {
      to = '+14155553000';
      agentId = PLAIN_AGENT;
      routing = `{"outcome":"not_callback_agent","agent_id":"${PLAIN_AGENT}","reason_code":"NOT_CALLBACK_AGENT","explanation":"Support is not a callback agent"}`;
    } else {
      to = '+14155559999';
      routing = `{"outcome":"number_not_owned","number":"+14155559999","reason_code":"NUMBER_NOT_OWNED","explanation":"no agent owns +14155559999"}`;
    }
    const agentText = agentId ? ref(agentId) : 'null';
    lines[i] = `{${common},"to":"${to}","to_formatted":null,"from":"${contact}","from_formatted":null,"is_testing":false,"direction":"inbound","status":"${status}","duration":${duration},${times},"routing":${routing},"agent":${agentText}}`;
  }
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFileSync } = await import('node:fs');
  const dir = new URL('../fixtures/pkg/', import.meta.url);
  writeFileSync(new URL('agents.json', dir), JSON.stringify(AGENTS, null, 1) + '\n');
  writeFileSync(new URL('calls.ndjson', dir), ndjson(300));
}
