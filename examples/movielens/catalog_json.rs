//! The catalog document of issue 3, built in memory from the data set and the
//! site's aggregate models: genres as topics, movies as items with
//! `popularity`, and optionally `vector` and `related`. It is never written
//! to disk (the data's licence forbids redistributing derived files).

use serde_json::{json, Map, Value};

use crate::data::MovieLens;
use crate::linalg::Mat;

/// A topic id from a genre name: lowercase ASCII letters, digits and dashes
/// ("Children's" → "childrens", "Sci-Fi" → "sci-fi").
pub fn topic_id(genre: &str) -> String {
    genre
        .chars()
        .filter_map(|c| match c {
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' | '-' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

/// The item id of movie index `i` ("m0050" for MovieLens id 50): zero-padded
/// so that the engine's tie-break by id follows the MovieLens order.
pub fn item_id(i: usize) -> String {
    format!("m{:04}", i + 1)
}

/// What goes into one catalog.
pub struct Parts<'a> {
    /// Per item, in [0, 1] (interaction count / the largest count).
    pub popularity: &'a [f64],
    /// n × dims item vectors, if the catalog carries them.
    pub vectors: Option<&'a Mat>,
    /// Per item, its neighbours and weights in (0, 1], if the catalog carries them.
    pub related: Option<&'a [Vec<(usize, f64)>]>,
}

/// The catalog JSON text.
pub fn build(ml: &MovieLens, parts: &Parts) -> String {
    let topics: Vec<Value> = ml
        .genres
        .iter()
        .map(|g| json!({ "id": topic_id(g), "label": g }))
        .collect();
    let items: Vec<Value> = ml
        .movies
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut item = Map::new();
            item.insert("id".into(), item_id(i).into());
            item.insert("title".into(), m.title.clone().into());
            let topics: Map<String, Value> = m
                .genres
                .iter()
                .map(|&g| (topic_id(&ml.genres[g]), json!(1.0)))
                .collect();
            item.insert("topics".into(), topics.into());
            item.insert("popularity".into(), json!(parts.popularity[i]));
            if let Some(v) = parts.vectors {
                item.insert(
                    "vector".into(),
                    v.row(i)
                        .iter()
                        .map(|&x| x as f32)
                        .collect::<Vec<f32>>()
                        .into(),
                );
            }
            if let Some(rel) = parts.related {
                let r: Map<String, Value> = rel[i]
                    .iter()
                    .map(|&(j, w)| (item_id(j), json!(w as f32)))
                    .collect();
                item.insert("related".into(), r.into());
            }
            Value::Object(item)
        })
        .collect();
    json!({ "topics": topics, "items": items }).to_string()
}

/// Scales related weights into (0, 1] by the largest one (the catalog format
/// bounds weights; a common scale keeps the device's sums proportional).
pub fn normalize_related(rel: &[Vec<(usize, f64)>]) -> Vec<Vec<(usize, f64)>> {
    let max = rel.iter().flatten().map(|p| p.1).fold(0.0f64, f64::max);
    rel.iter()
        .map(|r| {
            r.iter()
                .map(|&(j, w)| (j, if max > 0.0 { w / max } else { 0.0 }))
                .collect()
        })
        .collect()
}

/// Popularity in [0, 1]: count / max count.
pub fn popularity(counts: &[f64]) -> Vec<f64> {
    let max = counts.iter().copied().fold(0.0f64, f64::max);
    counts
        .iter()
        .map(|&c| if max > 0.0 { c / max } else { 0.0 })
        .collect()
}
