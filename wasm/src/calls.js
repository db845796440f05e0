// The JavaScript half of `CallLog.fromCalls`: one pass over the call objects a developer
// already holds (what `await res.json()` gives), reading only the fields stats and usage need
// into typed columns that cross into wasm together. No JSON text is made. Text fields become
// indices into one table of distinct strings, so an agent id or a status repeated a million
// times crosses once. What the values mean (a valid status, a real timestamp) is checked by
// the core, exactly as for NDJSON; this only checks that each is a string or a number.
// Phone numbers are nearly all distinct, so they are not interned (a Map of a hundred
// thousand numbers costs more than the rest of the pass): each is copied into a 16-byte slot
// of its own when it fits, and into the table when it does not.

const ABSENT = 0xffffffff;
const NULL = 0xfffffffe;
const IN_TABLE = 253;
const NULL_LEN = 254;
const NO_LEN = 255;

/** A failure, named by the call's index (or `call`, for a single one) and field. */
function refuseCall(index, field, message, single) {
  return { error: `${single ? 'call' : `calls[${index}]`}${field ? `.${field}` : ''}: ${message}` };
}

/** What an exception says, without trusting its `toString`. */
function said(e) {
  try {
    return typeof e === 'object' && e !== null && typeof e.message === 'string' ? e.message : String(e);
  } catch {
    return 'an exception';
  }
}

/**
 * Reads `calls` into columns: `{ count, table, ends, direction, agentId, agent, from, to,
 * at, atText, status, duration, routed, callbackAgentId, routingAgentId, sourceAgentId }`;
 * or `{ error }` naming the first call and field that is not a call's. Getters that throw,
 * and cycles, stop nothing but that call.
 *
 * `forRouter` reads what routing reads instead: each call's `id` as text (`ids`, UTF-8, with
 * `idEnds`; ids are all distinct, so they are not interned), and neither `from`, `duration`
 * nor `routing`, which routing ignores (whatever they hold). `single` names the one call of a
 * one-element list `call` in errors.
 */
export function read_calls(calls, forRouter, single) {
  if (!Array.isArray(calls)) return { error: 'calls: expected an array of calls' };
  const withIds = forRouter;
  const refuse = (index, field, message) => refuseCall(index, field, message, single);
  const count = calls.length;
  const index = new Map();
  const table = [];
  const intern = (s) => {
    let k = index.get(s);
    if (k === undefined) {
      k = table.length;
      index.set(s, k);
      table.push(s);
    }
    return k;
  };
  const cols = {};
  for (const name of ['direction', 'agentId', 'agent', 'from', 'to', 'atText', 'status',
    'callbackAgentId', 'routingAgentId', 'sourceAgentId']) cols[name] = new Uint32Array(count);
  // numbers: 16 bytes each for `from` then `to`; their length (or IN_TABLE, NULL_LEN, NO_LEN)
  const numbers = new Uint8Array(count * 32);
  const numberLen = new Uint8Array(count * 2);
  const at = new Uint8Array(count * 20);
  const duration = new Uint32Array(count);
  const routed = new Uint8Array(count);
  const idTexts = withIds ? new Array(count) : null;
  let i = 0;
  let field = '';
  // a number into its slot (`side` 0 for `from`, 1 for `to`), or the table when it is long
  const number = (v, name, nullable, side) => {
    const at = i * 2 + side;
    if (typeof v === 'string') {
      const n = v.length;
      if (n <= 16) {
        const o = at * 16;
        let ascii = true;
        for (let k = 0; k < n; k++) {
          const ch = v.charCodeAt(k);
          if (ch > 0x7f) { ascii = false; break; }
          numbers[o + k] = ch;
        }
        if (ascii) { numberLen[at] = n; return ABSENT; }
      }
      numberLen[at] = IN_TABLE;
      return intern(v);
    }
    if (v === undefined) { numberLen[at] = NO_LEN; return ABSENT; }
    if (v === null && nullable) { numberLen[at] = NULL_LEN; return NULL; }
    field = name;
    return -1;
  };
  // a text field: its table index, or ABSENT/NULL; anything else is refused
  const text = (v, name, nullable) => {
    if (typeof v === 'string') return intern(v);
    if (v === undefined) return ABSENT;
    if (v === null && nullable) return NULL;
    field = name;
    return -1;
  };
  try {
    for (; i < count; i++) {
      const c = calls[i];
      if (c === null || typeof c !== 'object' || Array.isArray(c)) return refuse(i, '', 'expected a call object');
      field = '';
      const direction = text(c.direction, 'direction', false);
      const agentId = text(c.agent_id, 'agent_id', true);
      const from = forRouter ? number(undefined, 'from', true, 0) : number(c.from, 'from', true, 0);
      const to = number(c.to, 'to', false, 1);
      const status = text(c.status, 'status', false);
      if (field) return refuse(i, field, 'expected a string');
      if (withIds) {
        // what JSON.stringify would have written: a string, or a finite number's digits
        const id = c.id;
        if (typeof id === 'string') idTexts[i] = id;
        else if (typeof id === 'number' && Number.isFinite(id)) idTexts[i] = String(id);
        else return refuse(i, 'id', 'expected a string or a number');
      }
      cols.direction[i] = direction;
      cols.agentId[i] = agentId;
      cols.from[i] = from;
      cols.to[i] = to;
      cols.status[i] = status;

      const agent = c.agent;
      if (agent === undefined) cols.agent[i] = ABSENT;
      else if (agent === null) cols.agent[i] = NULL;
      else if (typeof agent === 'object' && typeof agent.id === 'string') cols.agent[i] = intern(agent.id);
      else return refuse(i, 'agent', 'expected an object with a string id, or null');

      let t = c.created_at;
      if (t === undefined) t = c.started_at;
      if (typeof t !== 'string') return refuse(i, 'created_at', 'expected an RFC 3339 string');
      if (t.length === 20) {
        const o = i * 20;
        for (let k = 0; k < 20; k++) at[o + k] = t.charCodeAt(k); // non-ASCII is refused by the core's parser
        cols.atText[i] = ABSENT;
      } else {
        cols.atText[i] = intern(t);
      }

      let d = forRouter ? 0 : c.duration;
      if (d === undefined) d = c.duration_seconds;
      if (d === undefined) d = 0;
      if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) return refuse(i, 'duration', 'expected whole seconds');
      duration[i] = d;

      const r = forRouter ? undefined : c.routing;
      if (r === undefined || r === null) {
        routed[i] = 0;
        cols.callbackAgentId[i] = ABSENT;
        cols.routingAgentId[i] = ABSENT;
        cols.sourceAgentId[i] = ABSENT;
      } else if (typeof r === 'object') {
        routed[i] = 1;
        const last = r.last_call;
        const cb = text(r.callback_agent_id, 'routing.callback_agent_id', true);
        const ra = text(r.agent_id, 'routing.agent_id', true);
        const src = last === undefined || last === null ? ABSENT
          : typeof last === 'object' ? text(last.source_agent_id, 'routing.last_call.source_agent_id', true) : -1;
        if (src === -1 && !field) field = 'routing.last_call';
        if (field) return refuse(i, field, 'expected a string or an object');
        cols.callbackAgentId[i] = cb;
        cols.routingAgentId[i] = ra;
        cols.sourceAgentId[i] = src;
      } else {
        return refuse(i, 'routing', 'expected an object or null');
      }
    }
  } catch (e) {
    return refuse(i, '', `reading it threw: ${said(e)}`);
  }
  // the table as UTF-8, each string's end in bytes
  const encoder = new TextEncoder();
  const { bytes: tableBytes, ends } = utf8(table, encoder);
  const out = { count, table: tableBytes, ends, at, duration, routed, numbers, numberLen, ...cols };
  if (withIds) {
    const { bytes: ids, ends: idEnds } = utf8(idTexts, encoder);
    Object.assign(out, { ids, idEnds });
  }
  return out;
}

/**
 * Inbound calls to route (`{ from, to, at }`, `from` null or absent when withheld) as
 * `{ count, withheld, bytes, ends }`: each call's three texts in `bytes` (UTF-8), their ends
 * in `ends`; or `{ error }` naming the first call and field that is not an inbound call's,
 * unknown fields included (a misspelt `at` must not route at the wrong time).
 */
export function read_inbound(calls) {
  if (!Array.isArray(calls)) return { error: 'calls: expected an array of inbound calls' };
  const count = calls.length;
  const texts = new Array(3 * count);
  const withheld = new Uint8Array(count);
  let i = 0;
  try {
    for (; i < count; i++) {
      const c = calls[i];
      if (c === null || typeof c !== 'object' || Array.isArray(c)) return refuseCall(i, '', 'expected an inbound call object');
      for (const key in c) {
        if (key !== 'from' && key !== 'to' && key !== 'at') return refuseCall(i, key, 'unknown field (an inbound call has from, to and at)');
      }
      const { from, to, at } = c;
      if (from === undefined || from === null) {
        withheld[i] = 1;
        texts[3 * i] = '';
      } else if (typeof from === 'string') {
        texts[3 * i] = from;
      } else {
        return refuseCall(i, 'from', 'expected a string or null');
      }
      if (typeof to !== 'string') return refuseCall(i, 'to', 'expected a string');
      if (typeof at !== 'string') return refuseCall(i, 'at', 'expected an RFC 3339 string');
      texts[3 * i + 1] = to;
      texts[3 * i + 2] = at;
    }
  } catch (e) {
    return refuseCall(i, '', `reading it threw: ${said(e)}`);
  }
  return { count, withheld, ...utf8(texts, new TextEncoder()) };
}

/** Strings as one UTF-8 buffer and each one's end: ASCII copied directly, the rest encoded. */
function utf8(texts, encoder) {
  let size = 0;
  for (const s of texts) size += s.length * 3;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(texts.length);
  let used = 0;
  for (let k = 0; k < texts.length; k++) {
    const s = texts[k];
    let ascii = true;
    for (let j = 0; j < s.length; j++) {
      const ch = s.charCodeAt(j);
      if (ch > 0x7f) { ascii = false; break; }
      bytes[used + j] = ch;
    }
    used += ascii ? s.length : encoder.encodeInto(s, bytes.subarray(used)).written;
    ends[k] = used;
  }
  return { bytes: bytes.subarray(0, used), ends };
}
