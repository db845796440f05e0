// The JavaScript half of `usagePeriod`'s fast path: its three arguments cross into wasm in
// one call, and its result comes back in one call. (`usagePeriod` is what other tools call
// in tight loops; each separate crossing costs as much as the date arithmetic.)

let bytes = null;

function copy(s, at, end) {
  if (at + s.length > end) return -1;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 127) return -1;
    bytes[at + i] = code;
  }
  return at + s.length;
}

/**
 * Copies `usagePeriod`'s three arguments, if they are short ASCII strings, into wasm memory at
 * `ptr` (room for `cap` bytes) and returns their lengths packed ten bits each; -1 for
 * anything else (the caller then takes the general path, which reports what was wrong).
 * What the strings mean is the core's business, not this helper's.
 */
export function read_args(memory, ptr, cap, period, tz, now) {
  if (typeof period !== 'string' || typeof tz !== 'string' || typeof now !== 'string') return -1;
  // a view of memory goes stale (length 0) when memory grows
  if (bytes === null || bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  const end = ptr + cap;
  let at = copy(period, ptr, end);
  if (at >= 0) at = copy(tz, at, end);
  if (at >= 0) at = copy(now, at, end);
  return at < 0 ? -1 : period.length | (tz.length << 10) | (now.length << 20);
}

const PERIODS = ['week', 'month', 'year'];

// 20 ASCII bytes at `at` as a string, without a decoder or a temporary array
function text20(b, at) {
  return String.fromCharCode(
    b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7],
    b[at + 8], b[at + 9], b[at + 10], b[at + 11], b[at + 12], b[at + 13], b[at + 14],
    b[at + 15], b[at + 16], b[at + 17], b[at + 18], b[at + 19]);
}

/** The result object, from the period's index and two RFC 3339 texts written at `ptr`. */
export function make_bounds(memory, period, ptr) {
  if (bytes === null || bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  return { period: PERIODS[period], periodStart: text20(bytes, ptr), periodEnd: text20(bytes, ptr + 20) };
}

/**
 * `usagePeriods`' inputs in one crossing: every string of the three arrays, if all are ASCII
 * strings, as `{ bytes, ends }` (each string's end in `bytes`, periods then zones then
 * instants, interleaved per input); `null` for anything else (the caller then takes the
 * general path, which reports what was wrong and where).
 */
export function pack_many(periods, zones, instants) {
  if (!Array.isArray(periods) || !Array.isArray(zones) || !Array.isArray(instants)) return null;
  const n = periods.length;
  if (zones.length !== n || instants.length !== n) return null;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const p = periods[i];
    const z = zones[i];
    const t = instants[i];
    if (typeof p !== 'string' || typeof z !== 'string' || typeof t !== 'string') return null;
    size += p.length + z.length + t.length;
  }
  const out = new Uint8Array(size);
  const ends = new Uint32Array(3 * n);
  let at = 0;
  const put = (s) => {
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) return false;
      out[at++] = c;
    }
    return true;
  };
  for (let i = 0; i < n; i++) {
    if (!put(periods[i])) return null;
    ends[3 * i] = at;
    if (!put(zones[i])) return null;
    ends[3 * i + 1] = at;
    if (!put(instants[i])) return null;
    ends[3 * i + 2] = at;
  }
  return { bytes: out, ends };
}

/** `n` results written at `ptr`, 41 bytes each (the period's index, then the two texts). */
export function make_many(memory, ptr, n) {
  bytes = new Uint8Array(memory.buffer);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const at = ptr + 41 * i;
    out[i] = { period: PERIODS[bytes[at]], periodStart: text20(bytes, at + 1), periodEnd: text20(bytes, at + 21) };
  }
  return out;
}
