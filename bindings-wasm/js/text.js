// Imported by the wasm module (bindings-wasm/src/host.rs): a string crosses into Rust as UTF-8,
// where a lone surrogate would be U+FFFD, so it is checked here, before it crosses.

/** `s` if it is a string of Unicode text (no lone surrogate; a pair is one character). */
export const unicodeText = (s) => (typeof s === 'string' && (s.isWellFormed ? s.isWellFormed() : !/\p{Cs}/u.test(s)) ? s : undefined);
