// Reading a WebAssembly binary's sections, shared by the build and the size scripts.

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

/** The module `b` without the custom sections whose name `drop` accepts. */
export function withoutCustomSections(b, drop) {
  const kept = [b.subarray(0, 8)];
  for (const { name, start, end } of sections(b)) if (name === null || !drop(name)) kept.push(b.subarray(start, end));
  return Buffer.concat(kept);
}

/** `n` as an unsigned LEB128 number. */
export function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

/**
 * How many functions the module imports (they come first in the function index space),
 * and the body of every function it defines, in order (views into `b`).
 */
export function functionBodies(b) {
  let imported = 0;
  const bodies = [];
  for (const { id, c } of sections(b)) {
    if (id === 2) {
      for (let n = c.leb(); n > 0; n--) {
        c.str();
        c.str();
        const kind = c.byte();
        if (kind === 0) {
          c.leb(); // function: its type
          imported++;
        } else if (kind === 1) {
          c.byte(); // table: element type, then limits
          const flags = c.leb();
          c.leb();
          if (flags & 1) c.leb();
        } else if (kind === 2) {
          const flags = c.leb(); // memory: limits
          c.leb();
          if (flags & 1) c.leb();
        } else if (kind === 3) c.p += 2; // global: type and mutability
        else if (kind === 4) {
          c.byte(); // tag: attribute and type
          c.leb();
        }
      }
    } else if (id === 10) {
      for (let n = c.leb(); n > 0; n--) {
        const size = c.leb();
        bodies.push(b.subarray(c.p, c.p + size));
        c.p += size;
      }
    }
  }
  return { imported, bodies };
}
