//! The module's allocator: TLSF (two-level segregated fit; constant-time allocation and
//! freeing, `rlsf`) in place of the standard library's dlmalloc, 1.5 KB gzip smaller in the
//! package, with requests of 256 bytes or more rounded up to the size classes TLSF
//! searches.
//!
//! Why the rounding: TLSF keeps free blocks in lists by size class (32 classes per power
//! of two here) and, to stay constant-time, looks for a block only in the classes whose
//! *every* block is big enough, that is from the class above the one the request falls
//! in. A block freed by one catalog load, say the 22 MB copy of the JSON text, is then
//! never found by the next load's request of the same size, and memory grows instead.
//! Rounding each request up to the start of a class makes a freed block of that size sit
//! at the start of the very class the next request of its size searches.
//!
//! Measured by `bench/memory.mjs` (Node, the benchmark's catalogs, each row a fresh module):
//! the wasm memory after one load and after 30 more into the same `Inkling`:
//!
//! | catalog | TLSF, rounded | TLSF | dlmalloc |
//! |---|---|---|---|
//! | 10k items, compiled | 3.8 → 5.6 MB | 3.8 → 6.6 MB | 3.6 → 5.2 MB |
//! | 100k items, compiled | 26.5 → 40.1 MB | 26.3 → 64.9 MB | 25.8 → 38.6 MB |
//! | 10k items, JSON text | 6.2 → 9.1 MB | 6.1 → 14.9 MB | 5.8 → 8.1 MB |
//! | 100k items, JSON text | 44.9 → 76.9 MB | 43.6 → 108.3 MB | 42.5 → 65.3 MB |
//!
//! A JSON reload holds the old catalog, the new one and the text at once, which is why
//! even dlmalloc ends well above one load there. The rounding costs at most 1/32 of a
//! large block and 59 bytes of the package (gzip); loading 10k and 100k items took the same
//! time with and without it (Node, alternating runs).

use std::alloc::{GlobalAlloc, Layout};

/// `log2` of TLSF's second-level classes per power of two (`rlsf::GlobalTlsf` has 32 on
/// wasm32: one per bit of `usize`).
const CLASS_BITS: u32 = 5;

/// What `rlsf` adds to a request for its block header, at alignments up to `MAX_ALIGN`.
const HEADER: usize = 8;

/// The largest alignment rounded: above it `rlsf` adds padding, and the block would no
/// longer end where the rounding puts it.
const MAX_ALIGN: usize = 8;

/// Requests below this size are left as they are: up to 512 bytes, each TLSF class holds
/// one block size (16-byte steps), so a freed small block is found again anyway.
const ROUND_FROM: usize = 256;

/// Requests above this size are left as they are too, so the rounded size can never reach
/// the largest size a `Layout` allows (`isize::MAX`, 2 GiB on wasm32).
const ROUND_UP_TO: usize = 1 << 30;

/// TLSF with its requests rounded up to its size classes (see the module docs).
pub(super) struct ClassRounded(rlsf::GlobalTlsf);

impl ClassRounded {
    pub(super) const fn new() -> Self {
        Self(rlsf::GlobalTlsf::new())
    }
}

/// `layout` with its size rounded up so that the block holding it, header included, is
/// exactly the smallest size of a TLSF class; small, huge or over-aligned requests as they are.
fn rounded(layout: Layout) -> Layout {
    let size = layout.size();
    if !(ROUND_FROM..=ROUND_UP_TO).contains(&size) || layout.align() > MAX_ALIGN {
        return layout;
    }
    let block = size + HEADER;
    let step = 1usize << (usize::BITS - 1 - block.leading_zeros() - CLASS_BITS);
    let size = ((block + step - 1) & !(step - 1)) - HEADER;
    // SAFETY: the size is at most 1 GiB + 1/32 of it + 8 and the alignment at most 8, far
    // below the `isize::MAX` a layout may reach; the alignment is the valid one it had.
    unsafe { Layout::from_size_align_unchecked(size, layout.align()) }
}

// SAFETY: every call is forwarded to `rlsf::GlobalTlsf` with a layout at least as large as
// the caller's and of the same alignment, so each block it returns satisfies the caller's
// layout; `dealloc` and `realloc` hand back only pointers it returned, and `rlsf` reads a
// block's size from its header, not from the layout passed back.
unsafe impl GlobalAlloc for ClassRounded {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.0.alloc(rounded(layout))
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.0.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` is a valid size at `layout`'s alignment.
        let new = rounded(Layout::from_size_align_unchecked(new_size, layout.align()));
        self.0.realloc(ptr, layout, new.size())
    }
}
