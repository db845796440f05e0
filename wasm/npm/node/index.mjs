// Node entry of `dialback-core`: the Node build compiles the .wasm synchronously, so every
// export is ready on import. `init` exists so code shared with browsers can call it too.
export * from './dialback_core.js';

/** Nothing to do in Node: the module is already instantiated. */
export default async function init() {}

/** Nothing to do in Node: the module is already instantiated. */
export function initSync() {}
