// `dialback-core/live`: the live stream of a Dialback server (`GET /api/v1/events`), read
// with `fetch` and the bearer token, every event checked by the core (this package's
// `EventReader`, a wasm module of its own), reconnecting with backoff and resuming after the
// last event id, so nothing is missed across a restart. Shared by the Node and browser entries.

/** An `Error` named `DialbackError` with a stable `code`, as the rest of the package throws. */
function failure(code, message, extra = {}) {
  const e = new Error(message);
  e.name = 'DialbackError';
  e.code = code;
  return Object.assign(e, extra);
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/** `streamEvents` for a loaded module (`{ EventReader, eventsQuery }`). */
export function streamEventsWith(load) {
  return async function* streamEvents(baseUrl, options = {}) {
    const { token, types, agentId, signal, reconnect = true, fetch: get = globalThis.fetch } = options;
    if (typeof baseUrl !== 'string' || baseUrl === '') throw failure('INVALID_ARGUMENT', 'baseUrl: the server\'s URL, e.g. http://127.0.0.1:8080');
    if (typeof token !== 'string' || token === '') throw failure('INVALID_ARGUMENT', 'token: an API token of the environment');
    const { EventReader, eventsQuery } = await load();
    const query = eventsQuery(types ?? undefined, agentId ?? undefined);
    const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/events${query ? `?${query}` : ''}`;
    let last = options.lastEventId ?? undefined;
    let retry = 1000;
    let failures = 0;
    while (!signal?.aborted) {
      let response;
      try {
        const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
        if (last !== undefined) headers['Last-Event-ID'] = String(last);
        response = await get(url, { headers, signal });
      } catch (e) {
        if (signal?.aborted) return;
        if (!reconnect) throw failure('UNREACHABLE', `cannot reach ${url}: ${e.message}`);
      }
      if (response && !response.ok) {
        const body = await response.json().catch(() => ({}));
        // the request itself is wrong (token, filters, limits): retrying would not help
        if (response.status < 500 && response.status !== 429) {
          throw failure(body.code ?? `HTTP_${response.status}`, body.message ?? `the server answered ${response.status}`, { status: response.status, errors: body.details ?? [] });
        }
        if (!reconnect) throw failure(body.code ?? `HTTP_${response.status}`, body.message ?? `the server answered ${response.status}`, { status: response.status });
      }
      if (response?.ok) {
        const reader = new EventReader();
        const body = response.body.getReader();
        try {
          failures = 0;
          for (;;) {
            let chunk;
            try {
              chunk = await body.read();
            } catch {
              break; // the connection ended: reconnect
            }
            if (chunk.done) break;
            const items = JSON.parse(reader.push(chunk.value));
            last = reader.lastEventId ?? last;
            retry = reader.retryMs ?? retry;
            for (const item of items) {
              if (item.error) throw failure(item.error.code, item.error.message, { eventId: item.error.id });
              yield item.reset ? { event: 'reset', ...item.reset } : { id: item.id, ...item.body };
            }
          }
        } finally {
          body.cancel().catch(() => {});
          reader.free();
        }
      }
      if (!reconnect || signal?.aborted) return;
      failures += 1;
      await sleep(Math.min(retry * 2 ** Math.min(failures - 1, 4), 15_000), signal);
    }
  };
}
