// Types of channelwise's browser module: the JS API every package shares (api.d.ts, generated
// from the Rust declarations in bindings-js and copied here by scripts/sync_js_api.mjs), plus
// what only this module has.
export * from './api.js';
import type { ErrorCode } from './api.js';

/**
 * Loads and instantiates the WebAssembly module once; later calls return the same promise.
 * `source` is a URL, Response, bytes or a WebAssembly.Module; by default the browser fetches
 * `channelwise_wasm_bg.wasm` beside the glue and Node reads it.
 */
export declare function init(source?: unknown): Promise<void>;
export default init;

/** The channelwise version this module was built from. */
export declare function version(): string;

/** Every `code` a channelwise error can carry, as compiled into the .wasm. */
export declare function errorCodes(): ErrorCode[];
