//! Reading the profile and its parts from JSON.
//!
//! The field names are the ones the profile is written with (`Serialize`). Every
//! record is strict: an unknown field, a repeated field or a value of the wrong type
//! is an error naming its path; fields written only when they are not the default
//! may be left out.

use super::*;
use crate::json::{self, FromJson, Reader};
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
    fn read(r: &mut Reader<'_>) -> Result<Event> {
        let (mut kind, mut item, mut gift, mut at) = (None, None, None, None);
        r.object(|r, key| match key {
            "kind" => r.field(&mut kind),
            "item" => r.field(&mut item),
            "gift" => r.field(&mut gift),
            "at" => r.field(&mut at),
            _ => Err(r.unknown_field()),
        })?;
        r.require(&[
            ("kind", kind.is_some()),
            ("item", item.is_some()),
            ("at", at.is_some()),
        ])?;
        Ok(Event {
            kind: kind.unwrap_or(EventKind::View),
            item: item.unwrap_or_default(),
            gift: gift.unwrap_or(false),
            at_ms: at.unwrap_or_default(),
        })
    }
}

impl FromJson for EventWeights {
    /// Each weight left out keeps its default.
    fn read(r: &mut Reader<'_>) -> Result<EventWeights> {
        let (mut view, mut click, mut purchase, mut dismiss) = (None, None, None, None);
        r.object(|r, key| match key {
            "view" => r.field(&mut view),
            "click" => r.field(&mut click),
            "purchase" => r.field(&mut purchase),
            "dismiss" => r.field(&mut dismiss),
            _ => Err(r.unknown_field()),
        })?;
        let d = EventWeights::default();
        Ok(EventWeights {
            view: view.unwrap_or(d.view),
            click: click.unwrap_or(d.click),
            purchase: purchase.unwrap_or(d.purchase),
            dismiss: dismiss.unwrap_or(d.dismiss),
        })
    }
}

impl FromJson for ProfileConfig {
    /// Each setting left out keeps its default; [`ProfileConfig::validate`] checks the ranges.
    fn read(r: &mut Reader<'_>) -> Result<ProfileConfig> {
        let (mut half_life, mut one_off, mut weights) = (None, None, None);
        r.object(|r, key| match key {
            "halfLifeDays" => r.field(&mut half_life),
            "oneOffFactor" => r.field(&mut one_off),
            "weights" => r.field(&mut weights),
            _ => Err(r.unknown_field()),
        })?;
        let d = ProfileConfig::default();
        Ok(ProfileConfig {
            half_life_days: half_life.unwrap_or(d.half_life_days),
            one_off_factor: one_off.unwrap_or(d.one_off_factor),
            weights: weights.unwrap_or(d.weights),
        })
    }
}

impl FromJson for TopicState {
    fn read(r: &mut Reader<'_>) -> Result<TopicState> {
        let (mut pref, mut pref_at, mut muted, mut w) = (None, None, None, None);
        let (mut at, mut days, mut first, mut last) = (None, None, None, None);
        r.object(|r, key| match key {
            "pref" => r.field(&mut pref),
            "prefAt" => r.field(&mut pref_at),
            "muted" => r.field(&mut muted),
            "w" => r.field(&mut w),
            "at" => r.field(&mut at),
            "days" => r.field(&mut days),
            "first" => r.field(&mut first),
            "last" => r.field(&mut last),
            _ => Err(r.unknown_field()),
        })?;
        Ok(TopicState {
            pref: pref.unwrap_or_default(),
            pref_at: pref_at.unwrap_or(0),
            muted: muted.unwrap_or(false),
            w: w.unwrap_or(0.0),
            at: at.unwrap_or(0),
            days: days.unwrap_or(0),
            first: first.unwrap_or(0),
            last: last.unwrap_or(0),
        })
    }
}

impl FromJson for Engaged {
    fn read(r: &mut Reader<'_>) -> Result<Engaged> {
        let (mut w, mut at, mut clicks) = (None, None, None);
        r.object(|r, key| match key {
            "w" => r.field(&mut w),
            "at" => r.field(&mut at),
            "clicks" => r.field(&mut clicks),
            _ => Err(r.unknown_field()),
        })?;
        r.require(&[("w", w.is_some()), ("at", at.is_some())])?;
        Ok(Engaged {
            w: w.unwrap_or_default(),
            at: at.unwrap_or_default(),
            clicks: clicks.unwrap_or(0),
        })
    }
}

impl FromJson for Impression {
    fn read(r: &mut Reader<'_>) -> Result<Impression> {
        let (mut item, mut campaign, mut at) = (None, None, None);
        r.object(|r, key| match key {
            "item" => r.field(&mut item),
            "campaign" => r.field(&mut campaign),
            "at" => r.field(&mut at),
            _ => Err(r.unknown_field()),
        })?;
        r.require(&[("item", item.is_some()), ("at", at.is_some())])?;
        Ok(Impression {
            item: item.unwrap_or_default(),
            campaign: campaign.flatten(),
            at: at.unwrap_or_default(),
        })
    }
}

impl FromJson for Profile {
    /// Reads the fields only; [`Profile::from_json`] checks the version and the bounds.
    /// A missing `"v"` reads as 0, which the version check refuses with the error it
    /// gives a document without one.
    fn read(r: &mut Reader<'_>) -> Result<Profile> {
        let (mut v, mut paused, mut half_life, mut one_off) = (None, None, None, None);
        let (mut topics, mut recent, mut engaged) = (None, None, None);
        let (mut dismissed, mut shown) = (None, None);
        r.object(|r, key| match key {
            "v" => r.field(&mut v),
            "paused" => r.field(&mut paused),
            "halfLifeDays" => r.field(&mut half_life),
            "oneOffFactor" => r.field(&mut one_off),
            "topics" => r.field(&mut topics),
            "recent" => r.field(&mut recent),
            "engaged" => r.field(&mut engaged),
            "dismissed" => r.field(&mut dismissed),
            "shown" => r.field(&mut shown),
            _ => Err(r.unknown_field()),
        })?;
        Ok(Profile {
            v: v.unwrap_or(0),
            paused: paused.unwrap_or(false),
            half_life_days: half_life.unwrap_or_else(default_half_life),
            one_off_factor: one_off.unwrap_or_else(default_one_off),
            topics: topics.unwrap_or_default(),
            recent: recent.unwrap_or_default(),
            engaged: engaged.unwrap_or_default(),
            dismissed: dismissed.unwrap_or_default(),
            shown: shown.unwrap_or_default(),
        })
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
