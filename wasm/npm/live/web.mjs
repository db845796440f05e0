// Browser (and bundler) entry of `dialback-core/live`: the module is fetched on first use,
// beside this file.
import init, { EventReader, eventsQuery } from './web/dialback_live.js';
import { streamEventsWith } from './stream.mjs';

let ready;
/** Fetches and compiles the module (once); `streamEvents` does it by itself. */
export const initLive = () => (ready ??= init());
export { EventReader, eventsQuery };
export const streamEvents = streamEventsWith(async () => {
  await initLive();
  return { EventReader, eventsQuery };
});
