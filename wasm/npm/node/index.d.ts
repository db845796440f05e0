export * from './dialback_core.js';
/** Nothing to do in Node: the module is already instantiated. */
export default function init(): Promise<void>;
export function initSync(): void;
