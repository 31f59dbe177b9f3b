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
        let names = ["view", "click", "purchase", "dismiss", "impression"];
        Ok(ALL[r.one_of(&names)?])
    }
}

impl FromJson for Event {
    /// `kind`, `item` and `at` required; `gift` false unless given.
    fn read(r: &mut Reader<'_>) -> Result<Event> {
        let start = Event {
            kind: EventKind::View,
            item: String::new(),
            gift: false,
            at_ms: 0,
        };
        read_record_from(r, start)
    }
}

impl Record for Event {
    const KEYS: &'static [&'static str] = &["kind", "item", "gift", "at"];
    const OPTIONAL: u32 = 1 << 2;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => self.kind = EventKind::read(r)?,
            1 => self.item = String::read(r)?,
            2 => self.gift = bool::read(r)?,
            _ => self.at_ms = i64::read(r)?,
        }
        Ok(())
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
        let weight = match i {
            0 => &mut self.view,
            1 => &mut self.click,
            2 => &mut self.purchase,
            _ => &mut self.dismiss,
        };
        *weight = f64::read(r)?;
        Ok(())
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
        let number = match i {
            0 => &mut self.half_life_days,
            1 => &mut self.one_off_factor,
            _ => return EventWeights::read(r).map(|w| self.weights = w),
        };
        *number = f64::read(r)?;
        Ok(())
    }
}

impl FromJson for TopicState {
    /// Every field may be left out (written only when set).
    fn read(r: &mut Reader<'_>) -> Result<TopicState> {
        read_record(r)
    }
}

impl Record for TopicState {
    const KEYS: &'static [&'static str] = &[
        "pref", "prefAt", "muted", "w", "at", "days", "first", "last",
    ];
    const OPTIONAL: u32 = !0;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        let time = match i {
            0 => return Preference::read(r).map(|p| self.pref = p),
            2 => return bool::read(r).map(|m| self.muted = m),
            3 => return f32::read(r).map(|w| self.w = w),
            5 => return u16::read(r).map(|d| self.days = d),
            1 => &mut self.pref_at,
            4 => &mut self.at,
            6 => &mut self.first,
            _ => &mut self.last,
        };
        // The four times share one read.
        *time = i64::read(r)?;
        Ok(())
    }
}

impl FromJson for Engaged {
    /// `w` and `at` required; `clicks` 0 unless given.
    fn read(r: &mut Reader<'_>) -> Result<Engaged> {
        read_record(r)
    }
}

impl Record for Engaged {
    const KEYS: &'static [&'static str] = &["w", "at", "clicks"];
    const OPTIONAL: u32 = 1 << 2;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => self.w = f32::read(r)?,
            1 => self.at = i64::read(r)?,
            _ => self.clicks = u16::read(r)?,
        }
        Ok(())
    }
}

impl FromJson for Impression {
    /// `item` and `at` required; `campaign` may be left out or `null`.
    fn read(r: &mut Reader<'_>) -> Result<Impression> {
        let start = Impression {
            item: String::new(),
            campaign: None,
            at: 0,
        };
        read_record_from(r, start)
    }
}

impl Record for Impression {
    const KEYS: &'static [&'static str] = &["item", "campaign", "at"];
    const OPTIONAL: u32 = 1 << 1;
    fn read_field(&mut self, r: &mut Reader<'_>, i: usize) -> Result<()> {
        match i {
            0 => self.item = String::read(r)?,
            1 => self.campaign = Option::read(r)?,
            _ => self.at = i64::read(r)?,
        }
        Ok(())
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
        let number = match i {
            0 => return u8::read(r).map(|v| self.v = v),
            1 => return bool::read(r).map(|p| self.paused = p),
            4 => return FromJson::read(r).map(|t| self.topics = t),
            5 => return FromJson::read(r).map(|e| self.recent = e),
            6 => return FromJson::read(r).map(|e| self.engaged = e),
            7 => return FromJson::read(r).map(|d| self.dismissed = d),
            8 => return FromJson::read(r).map(|s| self.shown = s),
            2 => &mut self.half_life_days,
            _ => &mut self.one_off_factor,
        };
        *number = f64::read(r)?;
        Ok(())
    }
}

/// Reads a profile document of any version: the fields of version 1 when it is one,
/// else the error that says which version it is.
pub(super) fn read_document(text: &str) -> Result<Profile> {
    match json::from_str::<Profile>(text) {
        Ok(p) => {
            check_version(Some(u64::from(p.v)))?;
            Ok(p)
        }
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
