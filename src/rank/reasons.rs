//! Reasons with ready sentences, in words a visitor understands.
//!
//! Each part of an item's score is a candidate reason; the three largest
//! positive parts are given, strongest first. Popularity is given as a reason
//! only for items in the top half of the site's popularity, freshness only for
//! items published in the last 7 days: a reason must be true, not merely non-zero.
//! Sentences are built by concatenation (no `format!`, to keep the wasm small).

use crate::catalog::vectors::dot;
use crate::catalog::ItemKind;
use crate::taxonomy::TopicIx;
use crate::text::{concat, push_uint};

use super::context::{Context, TopicUse};
use super::{Reason, ReasonSource};

/// At most this many reasons per item.
pub const MAX_REASONS: usize = 3;
/// Popularity counts as a reason from this relative popularity up.
const POPULAR_REASON: f32 = 0.5;
/// Freshness counts as a reason up to this age in days.
const FRESH_REASON_DAYS: i64 = 7;

#[derive(Clone, Copy)]
enum Part {
    /// A topic with an affinity; whether it was declared.
    Topic(TopicIx, bool),
    Similar,
    Related,
    Popular,
    Fresh,
}

/// Up to [`MAX_REASONS`] reasons for item `i`.
pub fn reasons(ctx: &Context, i: usize) -> Vec<Reason> {
    let c = ctx.catalog;
    let w = &ctx.weights;
    // Only positive parts are reasons.
    let mut parts: Vec<(f32, Part)> = Vec::new();
    let mut add = |score: f32, part: Part| {
        if score > 0.0 {
            parts.push((score, part));
        }
    };
    let norm = c.layout().topic_norm[i];
    for (t, tw) in c.item_topics(i) {
        let (a, u) = ctx.topics[t.index()];
        if matches!(u, TopicUse::Declared | TopicUse::Observed) {
            add(a * tw * norm, Part::Topic(t, u == TopicUse::Declared));
        }
    }
    if ctx.taste.is_some() {
        add(w.vector * ctx.similarity(i), Part::Similar);
    }
    add(w.related * ctx.related(i), Part::Related);
    let pop = c.item_popularity(i);
    if pop >= POPULAR_REASON {
        add(w.popularity * pop, Part::Popular);
    }
    if let Some(f) = ctx.recent_freshness(i, FRESH_REASON_DAYS) {
        add(w.freshness * f, Part::Fresh);
    }
    // Strongest first; ties keep the order above (topics, similar, related, popular, fresh).
    // Picked one at a time, each the strongest left (the first of equals), and marked
    // used by a zero score: at most three are wanted, so no sort of the parts is needed.
    let mut out: Vec<Reason> = Vec::with_capacity(MAX_REASONS);
    while out.len() < MAX_REASONS {
        let mut best: Option<usize> = None;
        let mut top = 0.0;
        for (k, &(s, _)) in parts.iter().enumerate() {
            if s > top {
                (best, top) = (Some(k), s);
            }
        }
        let part = match best {
            Some(k) => {
                parts[k].0 = 0.0;
                parts[k].1
            }
            // Nothing gave a reason: the item is shown for its popularity.
            None if out.is_empty() => Part::Popular,
            None => break,
        };
        if let Some(r) = sentence(ctx, i, part) {
            out.push(r);
        }
    }
    out
}

/// The reason `part` gives for item `i`, or `None` when no engaged item explains it.
/// Every kind is built as one record at the end, so the reason's fields are filled in
/// one place.
fn sentence(ctx: &Context, i: usize, part: Part) -> Option<Reason> {
    let c = ctx.catalog;
    let tax = c.taxonomy();
    let (source, topic, item, text) = match part {
        Part::Topic(t, declared) => {
            let label = tax.label(t);
            let (source, text) = if declared {
                (
                    ReasonSource::Declared,
                    concat(&["You said you like ", label]),
                )
            } else {
                (ReasonSource::Observed, observed_sentence(ctx, t, label))
            };
            (source, Some((tax.id(t), label)), None, text)
        }
        // One search of the history for both: by the vectors for a similar item, by the
        // site's related lists otherwise (one strength and one call of each helper).
        Part::Similar | Part::Related => {
            let (source, vectors) = match part {
                Part::Similar => (ReasonSource::Similar, Some(c.vectors()?)),
                _ => (ReasonSource::Related, None),
            };
            let (e, liked) = strongest(ctx, |e: usize, w: f32| match vectors {
                Some(v) => (e != i).then(|| dot(v.row(i), v.row(e)) * w.sqrt()),
                None => c.item_related(e).find(|&(j, _)| j == i).map(|(_, r)| r * w),
            })?;
            // "Because you liked Alien" (clicked or bought) or "Similar to Alien, which
            // you viewed".
            let title = c.item_title(e);
            let text = if liked {
                concat(&["Because you liked ", title])
            } else if source == ReasonSource::Similar {
                concat(&["Similar to ", title, ", which you viewed"])
            } else {
                concat(&["Often chosen with ", title, ", which you viewed"])
            };
            (source, None, Some(c.item_id(e)), text)
        }
        Part::Popular => (
            ReasonSource::Popular,
            None,
            None,
            "Popular on this site".into(),
        ),
        Part::Fresh => (ReasonSource::Fresh, None, None, "New on this site".into()),
    };
    Some(Reason {
        topic: topic.map(|(id, _)| id.into()),
        label: topic.map(|(_, label)| label.into()),
        source,
        item: item.map(Into::into),
        text,
    })
}

/// The engaged item (index, clicked or bought) that `strength` (given its index and
/// weight; `None` to pass it over) rates highest; ties go to the lower index.
fn strongest(
    ctx: &Context,
    mut strength: impl FnMut(usize, f32) -> Option<f32>,
) -> Option<(usize, bool)> {
    let mut best: Option<((usize, bool), f32)> = None;
    for &(e, w, liked) in &ctx.engaged {
        let Some(s) = strength(e, w) else { continue };
        let better = best.is_none_or(|(b, bs)| {
            // As `Iterator::max_by`: a later element wins when not less.
            s.total_cmp(&bs).then(b.cmp(&(e, liked))).is_ge()
        });
        if better {
            best = Some(((e, liked), s));
        }
    }
    best.map(|(e, _)| e)
}

/// "You read 4 Hiking stories in the last 2 weeks" — counted from the recent-event log.
fn observed_sentence(ctx: &Context, t: TopicIx, label: &str) -> String {
    let c = ctx.catalog;
    let (mut n, mut articles) = (0u64, true);
    for &j in &ctx.recent {
        if c.item_topics(j).any(|(x, _)| x == t) {
            n += 1;
            articles &= c.item_kind(j) == ItemKind::Article;
        }
    }
    observed_text(n, articles, label)
}

/// The observed sentence for `n` recent events on the topic labelled `label`, all of
/// them on articles or not.
fn observed_text(n: u64, articles: bool, label: &str) -> String {
    let mut s = String::with_capacity(64);
    if n == 0 {
        s.push_str("You have shown interest in ");
        s.push_str(label);
        return s;
    }
    // One sentence for one event or several: its start, the count or "a", the label,
    // the noun in the number the count needs, and the window.
    s.push_str(if articles {
        "You read "
    } else {
        "You looked at "
    });
    if n == 1 {
        s.push_str("a ");
    } else {
        push_uint(&mut s, n);
        s.push(' ');
    }
    s.push_str(label);
    s.push_str(match (articles, n == 1) {
        (true, true) => " story in the last 2 weeks",
        (true, false) => " stories in the last 2 weeks",
        (false, true) => " item in the last 2 weeks",
        (false, false) => " items in the last 2 weeks",
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every form of the observed sentence, against each written out in full.
    #[test]
    fn observed_sentences() {
        for articles in [true, false] {
            for n in 0..4u64 {
                let (verb, one, many) = if articles {
                    ("You read ", "story", "stories")
                } else {
                    ("You looked at ", "item", "items")
                };
                let expected = match n {
                    0 => "You have shown interest in Hiking".to_string(),
                    1 => [verb, "a Hiking ", one, " in the last 2 weeks"].concat(),
                    _ => [
                        verb,
                        &n.to_string(),
                        " Hiking ",
                        many,
                        " in the last 2 weeks",
                    ]
                    .concat(),
                };
                assert_eq!(observed_text(n, articles, "Hiking"), expected);
            }
        }
    }
}
