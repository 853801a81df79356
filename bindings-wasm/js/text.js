// Imported by the wasm module (bindings-wasm/src/host.rs) and by index.js: a string crosses
// into Rust as UTF-8, where a lone surrogate would be U+FFFD, so it is checked here, before it
// crosses. (The shared wrapper, bindings-js/js/api.mjs, has its own copy of `wellFormed`: it is
// also Node's CommonJS file, which cannot import this one.)

/** No lone surrogate in `s` (`isWellFormed` where the engine has it: Node 20+, browsers since 2023). */
export const wellFormed = (s) => (s.isWellFormed ? s.isWellFormed() : !/\p{Cs}/u.test(s));

/** `s` if it is a string of Unicode text (no lone surrogate; a pair is one character). */
export const unicodeText = (s) => (typeof s === 'string' && wellFormed(s) ? s : undefined);
