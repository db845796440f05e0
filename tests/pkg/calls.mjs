// Synthetic calls in the exact shape `GET /api/v1/calls/export` writes (one JSON object per
// line), with routing decisions on inbound calls, for the benchmark and the Node tests.

const uuid = (n) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const SOURCES = Array.from({ length: 8 }, (_, i) => uuid(0x100 + i));
export const CALLBACK_AGENTS = [uuid(0x200), uuid(0x201)];
export const PLAIN_AGENT = uuid(0x300);

export const AGENTS = [
  ...SOURCES.map((id, i) => ({
    id, name: `Outbound ${i + 1}`, direction: 'outbound',
    phone_numbers: [`+1415555${String(1000 + i)}`], callback_config: null,
  })),
  ...CALLBACK_AGENTS.map((id, i) => ({
    id, name: `Callbacks ${i + 1}`, direction: 'inbound',
    phone_numbers: [`+1415555${String(2000 + i)}`],
    callback_config: { source_agent_ids: i === 0 ? SOURCES.slice(0, 4) : SOURCES.slice(4) },
  })),
  { id: PLAIN_AGENT, name: 'Support', direction: 'inbound', phone_numbers: ['+14155553000'], callback_config: null },
];

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
    const common = `"id":${i + 1},"external_id":null`;
    if (random() < 0.6) {
      const s = Math.floor(random() * SOURCES.length);
      lines[i] = `{${common},"direction":"outbound","agent_id":"${SOURCES[s]}","from":"+1415555${1000 + s}","to":"${contact}","started_at":"${iso(at)}","status":"${status}","duration_seconds":${duration}}`;
      continue;
    }
    const r = random();
    let routing;
    let to;
    if (r < 0.7) {
      const c = r < 0.35 ? 0 : 1;
      to = `+1415555${2000 + c}`;
      if (r < 0.55) {
        const s = SOURCES[c * 4 + Math.floor(random() * 4)];
        const age = Math.floor(random() * 20 * 86400);
        routing = `{"outcome":"matched","callback_agent_id":"${CALLBACK_AGENTS[c]}","last_call":{"source_agent_id":"${s}","outbound_call_id":${i},"started_at":"${iso(at - age)}","status":"no-answer","age_seconds":${age}},"lookback_days":30,"reason_code":"MATCHED","explanation":"matched: an outbound agent called this contact recently (within the 30-day window)"}`;
      } else {
        routing = `{"outcome":"unmatched","callback_agent_id":"${CALLBACK_AGENTS[c]}","reason":{"code":"NO_OUTBOUND_CALL"},"reason_code":"NO_OUTBOUND_CALL","explanation":"unmatched: no source agent has called this number"}`;
      }
    } else if (r < 0.9) {
      to = '+14155553000';
      routing = `{"outcome":"not_callback_agent","agent_id":"${PLAIN_AGENT}","reason_code":"NOT_CALLBACK_AGENT","explanation":"Support is not a callback agent"}`;
    } else {
      to = '+14155559999';
      routing = `{"outcome":"number_not_owned","number":"+14155559999","reason_code":"NUMBER_NOT_OWNED","explanation":"no agent owns +14155559999"}`;
    }
    lines[i] = `{${common},"direction":"inbound","agent_id":null,"from":"${contact}","to":"${to}","started_at":"${iso(at)}","status":"${status}","duration_seconds":${duration},"routing":${routing}}`;
  }
  return lines.join('\n') + '\n';
}
