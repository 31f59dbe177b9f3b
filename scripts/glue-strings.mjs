#!/usr/bin/env node
// Hands strings to the wasm module with one native `TextEncoder.encodeInto` call instead
// of wasm-bindgen's JavaScript loop over their ASCII prefix.
//
// wasm-bindgen's glue (pinned version, `passStringToWasm0`) copies a string into the
// module's memory one character at a time until the first non-ASCII one, then lets
// `encodeInto` do the rest. On a page that has just loaded, that loop runs in V8's
// interpreter and baseline tiers: for a 10k-item catalog's JSON (2.2 MB, the text
// `loadCatalog` takes) it was a tenth of a cold load. `encodeInto` writes the same
// bytes (well-formed UTF-8, lone surrogates as U+FFFD, as the glue's own remainder
// path does) natively, into the same allocation; only text that turns out not to be
// ASCII grows it, as before.
//
//   node scripts/glue-strings.mjs FILE.js   (the glue of either layout, before minifying)
import { readFileSync, writeFileSync } from "node:fs";

const ORIGINAL = `    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
`;

// One UTF-16 unit is at most 3 bytes of UTF-8, and `encodeInto` never writes part of a
// character: what it could not fit is encoded into the grown allocation. The glue's
// branch for a missing `realloc` goes: every call passes the module's own.
const NATIVE = `    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;
    let { read, written } = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len));
    if (read !== arg.length) {
        arg = arg.slice(read);
        ptr = realloc(ptr, len, len = written + arg.length * 3, 1) >>> 0;
        written += cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr + written, ptr + len)).written;
        ptr = realloc(ptr, len, written, 1) >>> 0;
    }

    WASM_VECTOR_LEN = written;
    return ptr;
`;

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/glue-strings.mjs FILE.js");
  process.exit(2);
}
const glue = readFileSync(file, "utf8");
const at = glue.indexOf(ORIGINAL);
if (at < 0 || glue.indexOf(ORIGINAL, at + 1) >= 0) {
  // A different wasm-bindgen wrote this glue: look at its passStringToWasm0 again.
  throw new Error(`${file}: passStringToWasm0 is not the one this script knows`);
}
writeFileSync(file, glue.slice(0, at) + NATIVE + glue.slice(at + ORIGINAL.length));
