// Reading a WebAssembly binary's sections, shared by the size scripts.

/** A cursor over `b` from `p`: bytes, LEB128 numbers and length-prefixed UTF-8 names. */
export function cursor(b, p = 0) {
  return {
    get p() {
      return p;
    },
    set p(v) {
      p = v;
    },
    byte: () => b[p++],
    leb() {
      let r = 0, s = 0, x;
      do {
        x = b[p++];
        r += (x & 0x7f) * 2 ** s;
        s += 7;
      } while (x & 0x80);
      return r;
    },
    str() {
      const n = this.leb();
      const s = b.toString("utf8", p, p + n);
      p += n;
      return s;
    },
  };
}

/**
 * The module's sections in order: `{ id, name, size, start, body, end, c }`, where `name` is a
 * custom section's name (else null), `size` the section's size as its header gives it, `start`
 * its first byte, `body` its first byte after the name, `end` one past its last, and `c` a
 * cursor at `body`.
 */
export function* sections(b) {
  const at = cursor(b, 8); // magic + version
  while (at.p < b.length) {
    const start = at.p;
    const id = at.byte();
    const size = at.leb();
    const end = at.p + size;
    const name = id === 0 ? at.str() : null;
    yield { id, name, size, start, body: at.p, end, c: cursor(b, at.p) };
    at.p = end;
  }
}
