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
