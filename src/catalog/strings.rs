//! Many strings in one allocation: the catalog's ids, titles, urls and campaign names.
//!
//! A `Vec<Box<str>>` costs an allocation and 16 bytes of pointer and length per string,
//! 300,000 allocations for the ids, titles and urls of 100k items. Here the strings are
//! one UTF-8 text and the offsets where each ends, so loading a compiled catalog copies
//! two arrays instead of allocating per string, and the catalog is smaller in memory.

/// Strings in order, stored end to end.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrList {
    text: String,
    /// `ends[i]` is where string `i` ends in `text` (it starts where `i - 1` ends).
    ends: Vec<usize>,
}

impl StrList {
    /// An empty list.
    pub fn new() -> StrList {
        StrList::default()
    }

    /// A list from its text and the end offset of each string, which the caller has
    /// checked (the compiled-catalog loader does, to name the entry at fault): they
    /// never decrease, fall on character boundaries, and the last is the text's end.
    /// Offsets that break this make [`StrList::get`] panic, never read wrong text.
    pub fn from_checked_parts(text: String, ends: Vec<usize>) -> StrList {
        debug_assert!(describes(&text, &ends));
        StrList { text, ends }
    }

    /// Appends `s`.
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String `i`. Panics if `i` is out of range, as slice indexing does.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
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

    /// The end offset of each string.
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// Bytes of heap this list holds.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + std::mem::size_of::<usize>() * self.ends.capacity()
    }

    /// Gives back unused capacity.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// Whether `ends` are the ends of strings that make up `text` exactly.
fn describes(text: &str, ends: &[usize]) -> bool {
    let mut start = 0;
    for &end in ends {
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
        let back = StrList::from_checked_parts(l.text().to_string(), l.ends().to_vec());
        assert_eq!(back, l);
    }

    #[test]
    fn rejects_offsets_that_do_not_describe_the_text() {
        let text = "café";
        assert!(!describes(text, &[2, 1])); // decreasing
        assert!(!describes(text, &[4])); // inside "é"
        assert!(!describes(text, &[6])); // past the end
        assert!(!describes(text, &[3])); // text left over
        assert!(describes(text, &[3, 5]));
    }
}
