//! Reading the profile and its parts from JSON.
//!
//! The field names are the ones the profile is written with (`Serialize`). Every
//! record is strict: an unknown field, a repeated field or a value of the wrong type
//! is an error naming its path; fields written only when they are not the default
//! may be left out.

use super::*;
use crate::json::{self, read_record, read_record_from, FromJson, Reader, Record};
use crate::text::parse_uint;

impl FromJson for Preference {
    fn read(r: &mut Reader<'_>) -> Result<Preference> {
        const ALL: [Preference; 3] = [Preference::Like, Preference::Dislike, Preference::None];
        Ok(ALL[r.one_of(&["like", "dislike", "none"])?])
    }
}

impl FromJson for EventKind {
    fn read(r: &mut Reader<'_>) -> Result<EventKind> {
        const ALL: [EventKind; 5] = [
            EventKind::View,
            EventKind::Click,
            EventKind::Purchase,
            EventKind::Dismiss,
            EventKind::Impression,
        ];
        Ok(ALL[r.one_of(&["view", "click", "purchase", "dismiss", "impression"])?])
    }
}

// `kind`, `item` and `at` required; `gift` false unless given.
json::record_read_in_place!(
    Event,
    Event {
        kind: EventKind::View,
        item: String::new(),
        gift: false,
        at_ms: 0,
    }
);

impl Record for Event {
    const KEYS: &'static [&'static str] = &["kind", "item", "gift", "at"];
    const OPTIONAL: u32 = 1 << 2;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.kind),
            1 => r.read_into(&mut self.item),
            2 => r.read_into(&mut self.gift),
            _ => r.read_into(&mut self.at_ms),
        }
    }
}

impl FromJson for EventWeights {
    /// Each weight left out keeps its default.
    fn read(r: &mut Reader<'_>) -> Result<EventWeights> {
        read_record(r)
    }
}

impl Record for EventWeights {
    const KEYS: &'static [&'static str] = &["view", "click", "purchase", "dismiss"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.view),
            1 => r.read_into(&mut self.click),
            2 => r.read_into(&mut self.purchase),
            _ => r.read_into(&mut self.dismiss),
        }
    }
}

impl FromJson for ProfileConfig {
    /// Each setting left out keeps its default; [`ProfileConfig::validate`] checks the ranges.
    fn read(r: &mut Reader<'_>) -> Result<ProfileConfig> {
        read_record(r)
    }
}

impl Record for ProfileConfig {
    const KEYS: &'static [&'static str] = &["halfLifeDays", "oneOffFactor", "weights"];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.half_life_days),
            1 => r.read_into(&mut self.one_off_factor),
            _ => r.read_into(&mut self.weights),
        }
    }
}

// Every field may be left out (written only when set).
json::record_read_in_place!(TopicState, TopicState::default());

impl Record for TopicState {
    const KEYS: &'static [&'static str] = &[
        "pref", "prefAt", "muted", "w", "at", "days", "first", "last",
    ];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.pref),
            1 => r.read_into(&mut self.pref_at),
            2 => r.read_into(&mut self.muted),
            3 => r.read_into(&mut self.w),
            4 => r.read_into(&mut self.at),
            5 => r.read_into(&mut self.days),
            6 => r.read_into(&mut self.first),
            _ => r.read_into(&mut self.last),
        }
    }
}

// `w` and `at` required; `clicks` 0 unless given.
json::record_read_in_place!(Engaged, Engaged::default());

impl Record for Engaged {
    const KEYS: &'static [&'static str] = &["w", "at", "clicks"];
    const OPTIONAL: u32 = 1 << 2;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.w),
            1 => r.read_into(&mut self.at),
            _ => r.read_into(&mut self.clicks),
        }
    }
}

// `item` and `at` required; `campaign` may be left out or `null`.
json::record_read_in_place!(
    Impression,
    Impression {
        item: String::new(),
        campaign: None,
        at: 0,
    }
);

impl Record for Impression {
    const KEYS: &'static [&'static str] = &["item", "campaign", "at"];
    const OPTIONAL: u32 = 1 << 1;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.item),
            1 => r.read_into(&mut self.campaign),
            _ => r.read_into(&mut self.at),
        }
    }
}

impl FromJson for Profile {
    /// Reads the fields only; [`Profile::from_json`] checks the version and the bounds.
    /// A missing `"v"` reads as 0, which the version check refuses with the error it
    /// gives a document without one.
    fn read(r: &mut Reader<'_>) -> Result<Profile> {
        read_record_from(
            r,
            Profile {
                v: 0,
                ..Profile::new()
            },
        )
    }
}

impl Record for Profile {
    const KEYS: &'static [&'static str] = &[
        "v",
        "paused",
        "halfLifeDays",
        "oneOffFactor",
        "topics",
        "recent",
        "engaged",
        "dismissed",
        "shown",
    ];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => r.read_into(&mut self.v),
            1 => r.read_into(&mut self.paused),
            2 => r.read_into(&mut self.half_life_days),
            3 => r.read_into(&mut self.one_off_factor),
            4 => r.read_into(&mut self.topics),
            5 => r.read_into(&mut self.recent),
            6 => r.read_into(&mut self.engaged),
            7 => r.read_into(&mut self.dismissed),
            _ => r.read_into(&mut self.shown),
        }
    }
}

/// Reads a profile document of any version over `p` (a profile whose `v` is 0, so a
/// missing `"v"` fails the version check): the fields of version 1 when it is one, else
/// the error that says which version it is. In place: read through `from_str`, the
/// profile was built aside and moved through two `Result`s before the caller had it.
pub(super) fn read_document(text: &str, p: &mut Profile) -> Result<()> {
    match json::read_text_in(text, p) {
        Ok(()) => check_version(Some(u64::from(p.v))),
        // A document of another version need not have version 1's fields: say
        // which version it is rather than which field did not fit.
        Err(e) => {
            check_version(version_of(text)?)?;
            Err(e)
        }
    }
}

/// The document's `"v"` when it is a plain unsigned integer; `None` when it is absent or
/// anything else. Errors only when the text is not a JSON object.
fn version_of(text: &str) -> Result<Option<u64>> {
    let mut v: Option<&str> = None;
    let mut r = Reader::new(text);
    r.object(|r, key| match key {
        "v" if v.is_some() => Err(r.duplicate_field()),
        "v" => {
            v = Some(r.raw()?);
            Ok(())
        }
        _ => r.skip(),
    })?;
    r.finish()?;
    Ok(v.and_then(parse_uint))
}

/// Only version 1 is read; a higher one comes from a newer release.
fn check_version(v: Option<u64>) -> Result<()> {
    match v {
        Some(1) => Ok(()),
        Some(v) if v > 1 => Err(Error::new(
            ErrorKind::Unsupported,
            "/v",
            "this profile comes from a newer version of Inkling",
        )),
        _ => Err(Error::invalid(
            "/v",
            "expected a profile document with \"v\": 1",
        )),
    }
}
