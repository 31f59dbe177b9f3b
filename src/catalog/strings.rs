//! Many strings in one allocation: the catalog's ids, titles, urls and campaign names.
//!
//! A `Vec<Box<str>>` costs an allocation and 16 bytes of pointer and length per string,
//! 300,000 allocations for the ids, titles and urls of 100k items. Here the strings are
//! one UTF-8 text and the offsets where each starts and ends, so loading a compiled catalog copies
//! two arrays instead of allocating per string, and the catalog is smaller in memory.

/// Strings in order, stored end to end.
#[derive(Clone, Debug, PartialEq)]
pub struct StrList {
    text: String,
    /// String `i` is `text[offsets[i]..offsets[i + 1]]`, and the first offset is 0: the
    /// layout of a string list in a compiled catalog, so one loads and saves as one copy.
    offsets: Vec<u32>,
}

impl Default for StrList {
    fn default() -> StrList {
        StrList::new()
    }
}

impl StrList {
    /// An empty list.
    pub fn new() -> StrList {
        StrList {
            text: String::new(),
            offsets: vec![0],
        }
    }

    /// A list from its text and offsets, which the caller has checked (the
    /// compiled-catalog loader does, to name the entry at fault): the first is 0, they
    /// never decrease, fall on character boundaries, and the last is the text's end.
    /// Offsets that break this make [`StrList::get`] panic, never read wrong text.
    #[cfg(test)]
    pub fn from_checked_parts(text: String, offsets: Vec<u32>) -> StrList {
        debug_assert!(describes(&text, &offsets));
        StrList { text, offsets }
    }

    /// Whether the offsets describe the text (see [`StrList::from_checked_parts`]).
    pub fn is_consistent(&self) -> bool {
        describes(&self.text, &self.offsets)
    }

    /// The text and offsets, for the compiled-catalog loader to read in place: it checks
    /// what [`StrList::from_checked_parts`] requires before the list is used.
    pub fn parts_mut(&mut self) -> (&mut String, &mut Vec<u32>) {
        (&mut self.text, &mut self.offsets)
    }

    /// Appends `s`.
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        // Lossless in wasm32; natively a catalog's text never nears 4 GB either.
        let end = u32::try_from(self.text.len()).expect("a string list holds under 4 GB");
        self.offsets.push(end);
    }

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// String `i`. Panics if `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> &str {
        &self.text[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The strings in order.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// All the strings end to end.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each string starts, then where the last one ends.
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// Bytes of heap this list holds.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + 4 * self.offsets.capacity()
    }

    /// Gives back unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.offsets.shrink_to_fit();
    }
}

/// Whether `offsets` are those of strings that make up `text` exactly.
fn describes(text: &str, offsets: &[u32]) -> bool {
    if offsets.first() != Some(&0) {
        return false;
    }
    let mut start = 0;
    for &end in offsets {
        let end = end as usize;
        if end < start || end > text.len() || !text.is_char_boundary(end) {
            return false;
        }
        start = end;
    }
    start == text.len()
}

#[cfg(test)]
mod tests {
    use super::{describes, StrList};

    #[test]
    fn keeps_strings_in_order_including_empty_and_non_ascii_ones() {
        let mut l = StrList::new();
        for s in ["a1", "", "café", "🙂x"] {
            l.push(s);
        }
        assert_eq!(l.iter().collect::<Vec<_>>(), ["a1", "", "café", "🙂x"]);
        assert_eq!(l.len(), 4);
        let back = StrList::from_checked_parts(l.text().to_string(), l.offsets().to_vec());
        assert_eq!(back, l);
    }

    #[test]
    fn rejects_offsets_that_do_not_describe_the_text() {
        let text = "café";
        assert!(!describes(text, &[0, 2, 1])); // decreasing
        assert!(!describes(text, &[0, 4])); // inside "é"
        assert!(!describes(text, &[0, 6])); // past the end
        assert!(!describes(text, &[0, 3])); // text left over
        assert!(!describes(text, &[1, 5])); // not from 0
        assert!(!describes(text, &[])); // not even the start
        assert!(describes(text, &[0, 3, 5]));
    }
}
