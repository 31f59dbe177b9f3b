//! Migration from earlier layouts of the stored document.
//!
//! Version 0 is the pre-release layout (no `"v"` field): the consent record
//! with short names and only the visitor's declared topics:
//!
//! ```json
//! { "consent": { "personalize": true, "remember": true, "measure": false,
//!                "policy": "2025-06", "at": 1750000000000 },
//!   "likes": ["hiking"], "dislikes": ["golf"], "muted": ["celebrity"], "paused": false }
//! ```
//!
//! It becomes a version 1 document with the same consent and a profile in
//! which each topic is declared (at the consent time) or muted. Observed
//! weights did not exist in version 0, so nothing is invented.

use super::document::{nest, read_consent, validate_consent, Document};
use crate::consent::Consent;
use crate::error::Result;
use crate::json::{self, Reader, Record};
use crate::profile::{Preference, Profile};

/// The version-0 consent record's fields, read straight into the version-1 record
/// (converting it afterwards moved every field once more).
pub(super) struct ConsentV0<'a>(pub(super) &'a mut Consent);

impl Record for ConsentV0<'_> {
    const KEYS: &'static [&'static str] = &["personalize", "remember", "measure", "policy", "at"];
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        let c = &mut *self.0;
        match i {
            0 => r.read_into(&mut c.personalize),
            1 => r.read_into(&mut c.remember),
            2 => r.read_into(&mut c.measure),
            3 => r.read_into(&mut c.policy_version),
            // Required here, so not `null` (which an integer's reader refuses). Read over
            // the place it ends in, so `i64`'s whole-value reader is not compiled for it.
            _ => r.read_into(c.decided_at.insert(0)),
        }
    }
}

/// The version-0 document.
#[derive(Default)]
struct DocumentV0 {
    consent: Option<Consent>,
    likes: Vec<String>,
    dislikes: Vec<String>,
    muted: Vec<String>,
    paused: bool,
}

impl Record for DocumentV0 {
    const KEYS: &'static [&'static str] = &["consent", "likes", "dislikes", "muted", "paused"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => read_consent(r, &mut self.consent, true),
            1 => r.read_into(&mut self.likes),
            2 => r.read_into(&mut self.dislikes),
            3 => r.read_into(&mut self.muted),
            _ => r.read_into(&mut self.paused),
        }
    }
}

/// Reads a version-0 document as a version-1 [`Document`], into `doc` (a default one).
pub fn from_v0(text: &str, doc: &mut Document) -> Result<()> {
    // Read in place, every field optional and any field the layout did not have an
    // error: through `json::from_str` the document was built aside and moved out of
    // two `Result`s, a reader of its own for this one use.
    let mut old = DocumentV0::default();
    json::read_text_in(text, &mut old)?;
    // The lists are dropped once, here, rather than on each of the body's exits.
    convert(&mut old, doc)
}

/// Fills the default version-1 document `doc` from `old` (its consent record taken
/// out): in place, where the document built here was moved out with its profile and
/// consent, and the profile moved into it.
#[inline(never)]
fn convert(old: &mut DocumentV0, doc: &mut Document) -> Result<()> {
    doc.migrated_from = Some(0);
    doc.consent = old.consent.take();
    let mut at = 0;
    // Profiles were only ever kept with `remember`; keep that rule.
    let mut keep = false;
    if let Some(c) = &doc.consent {
        validate_consent(c)?;
        at = c.decided_at.unwrap_or(0);
        keep = c.remember;
    }
    doc.saved_at = at;
    let profile = doc.profile.insert(Profile::new());
    // One loop for the three lists (`None`: muted), in this order.
    for &(list, pref, name) in &[
        (&old.likes, Some(Preference::Like), "/likes/"),
        (&old.dislikes, Some(Preference::Dislike), "/dislikes/"),
        (&old.muted, None, "/muted/"),
    ] {
        for (i, topic) in list.iter().enumerate() {
            match pref {
                Some(pref) => profile.declare(topic, pref, at),
                None => profile.mute(topic),
            }
            .map_err(|e| nest(&index_path(name, i), e))?;
        }
    }
    profile.set_paused(old.paused);
    if !keep {
        doc.profile = None;
    }
    Ok(())
}

/// The path of a list's item `i` for an error, `name` ending in `/` (digits by hand:
/// `to_string` would bring the formatting machinery into the wasm).
fn index_path(name: &str, i: usize) -> String {
    let mut s = name.to_string();
    crate::text::push_uint(&mut s, i as u64);
    s
}
