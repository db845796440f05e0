// Node entry of `dialback-core/live`: the module is compiled on import.
import { EventReader, eventsQuery } from './node/dialback_live.js';
import { streamEventsWith } from './stream.mjs';

export { EventReader, eventsQuery };
export const streamEvents = streamEventsWith(async () => ({ EventReader, eventsQuery }));
