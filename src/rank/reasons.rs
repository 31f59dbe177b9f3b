//! Reasons with ready sentences, in words a visitor understands.
//!
//! Each part of an item's score is a candidate reason; the three largest
//! positive parts are given, strongest first. Popularity is given as a reason
//! only for items in the top half of the site's popularity, freshness only for
//! items published in the last 7 days: a reason must be true, not merely non-zero.
//! Sentences are built by concatenation (no `format!`, to keep the wasm small).

use crate::catalog::vectors::dot;
use crate::catalog::ItemKind;
use crate::profile::EventKind;
use crate::taxonomy::TopicIx;
use crate::text::{concat, push_uint};

use super::context::{Context, TopicUse};
use super::{Reason, ReasonSource};

/// At most this many reasons per item.
pub const MAX_REASONS: usize = 3;
/// "In the last 2 weeks" for observed reasons.
const RECENT_WINDOW_MS: i64 = 14 * 86_400_000;
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
    // Read through sorted indices: sorting the pairs themselves compiled a sort for this type.
    let order = crate::sort::sorted_indices(parts.len(), &mut |a: usize, b: usize| {
        parts[b].0.total_cmp(&parts[a].0)
    });
    let mut out: Vec<Reason> = Vec::with_capacity(MAX_REASONS);
    for k in order {
        if out.len() == MAX_REASONS {
            break;
        }
        if let Some(r) = sentence(ctx, i, parts[k as usize].1) {
            out.push(r);
        }
    }
    if out.is_empty() {
        out.push(plain(ReasonSource::Popular, "Popular on this site"));
    }
    out
}

fn plain(source: ReasonSource, text: &str) -> Reason {
    Reason {
        topic: None,
        label: None,
        source,
        item: None,
        text: text.into(),
    }
}

fn sentence(ctx: &Context, i: usize, part: Part) -> Option<Reason> {
    let c = ctx.catalog;
    let tax = c.taxonomy();
    Some(match part {
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
            Reason {
                topic: Some(tax.id(t).into()),
                label: Some(label.into()),
                source,
                item: None,
                text,
            }
        }
        Part::Similar => {
            let v = c.vectors()?;
            let row = v.row(i);
            let e = strongest(ctx, &mut |e: usize, w: f32| {
                (e != i).then(|| dot(row, v.row(e)) * w.sqrt())
            })?;
            history_reason(ctx, ReasonSource::Similar, e)
        }
        Part::Related => {
            let e = strongest(ctx, &mut |e: usize, w: f32| {
                c.item_related(e).find(|&(j, _)| j == i).map(|(_, r)| r * w)
            })?;
            history_reason(ctx, ReasonSource::Related, e)
        }
        Part::Popular => plain(ReasonSource::Popular, "Popular on this site"),
        Part::Fresh => plain(ReasonSource::Fresh, "New on this site"),
    })
}

/// How strongly an engaged item (its index and weight) supports a reason; `None` to
/// pass it over. A trait of its own rather than `dyn FnMut`: a `dyn FnMut` table also
/// holds a by-value `call_once` that nothing calls, yet each closure brought its copy
/// into the wasm.
trait Strength {
    /// The strength of the engaged item `e` with weight `w`.
    fn of(&mut self, e: usize, w: f32) -> Option<f32>;
}

impl<F: FnMut(usize, f32) -> Option<f32>> Strength for F {
    fn of(&mut self, e: usize, w: f32) -> Option<f32> {
        self(e, w)
    }
}

/// The engaged item (index, clicked or bought) that `strength` (given its index and
/// weight; `None` to pass it over) rates highest; ties go to the lower index.
fn strongest(ctx: &Context, strength: &mut dyn Strength) -> Option<(usize, bool)> {
    let mut best: Option<((usize, bool), f32)> = None;
    for &(e, w, liked) in &ctx.engaged {
        let Some(s) = strength.of(e, w) else { continue };
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

/// "Because you liked Alien" (clicked or bought) or "Similar to Alien, which you viewed".
fn history_reason(ctx: &Context, source: ReasonSource, (e, liked): (usize, bool)) -> Reason {
    let c = ctx.catalog;
    let title = c.item_title(e);
    let text = if liked {
        concat(&["Because you liked ", title])
    } else if source == ReasonSource::Similar {
        concat(&["Similar to ", title, ", which you viewed"])
    } else {
        concat(&["Often chosen with ", title, ", which you viewed"])
    };
    Reason {
        topic: None,
        label: None,
        source,
        item: Some(c.item_id(e).into()),
        text,
    }
}

/// "You read 4 Hiking stories in the last 2 weeks" — counted from the recent-event log.
fn observed_sentence(ctx: &Context, t: TopicIx, label: &str) -> String {
    let c = ctx.catalog;
    let (mut n, mut articles) = (0u64, true);
    for &(j, kind, at) in &ctx.recent {
        if kind == EventKind::Dismiss || ctx.now_ms - at > RECENT_WINDOW_MS || at > ctx.now_ms {
            continue;
        }
        if c.item_topics(j).any(|(x, _)| x == t) {
            n += 1;
            articles &= c.item_kind(j) == ItemKind::Article;
        }
    }
    let mut s = String::with_capacity(64);
    match n {
        0 => {
            s.push_str("You have shown interest in ");
            s.push_str(label);
        }
        1 => {
            s.push_str(if articles {
                "You read a "
            } else {
                "You looked at a "
            });
            s.push_str(label);
            s.push_str(if articles { " story" } else { " item" });
            s.push_str(" in the last 2 weeks");
        }
        _ => {
            s.push_str(if articles {
                "You read "
            } else {
                "You looked at "
            });
            push_uint(&mut s, n);
            s.push(' ');
            s.push_str(label);
            s.push_str(if articles { " stories" } else { " items" });
            s.push_str(" in the last 2 weeks");
        }
    }
    s
}
