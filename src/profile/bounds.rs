//! Keeping the profile bounded, and validating documents read back in.

use super::*;

/// Largest magnitude a stored weight may have in an imported document.
const MAX_ABS_WEIGHT: f32 = 1.0e6;

/// Rough bytes per entry, used to decide when the exact serialized size must be checked.
const TOPIC_BYTES: usize = 60;
const ENGAGED_BYTES: usize = 40;
const EVENT_BYTES: usize = 50;
const DISMISSED_BYTES: usize = 20;
const SHOWN_BYTES: usize = 45;

impl Profile {
    /// The newest time anything in the profile was updated: the reference for "weakest".
    fn newest(&self) -> i64 {
        if self.topics.is_empty() && self.engaged.is_empty() {
            return 0;
        }
        let mut newest = i64::MIN;
        for s in self.topics.values() {
            newest = newest.max(s.at);
        }
        for e in self.engaged.values() {
            newest = newest.max(e.at);
        }
        newest
    }

    /// Evicts the weakest observed topics without a declaration or mute. Returns whether any was.
    fn evict_weakest_topic(&mut self, how_many: usize) -> bool {
        let (now, hl) = (self.newest(), self.half_life_days);
        let mut candidates = Vec::new();
        for (k, s) in &self.topics {
            if s.pref.is_none() && !s.muted {
                candidates.push((s.decayed(now, hl).abs(), k));
            }
        }
        let gone = weakest_keys(candidates, how_many);
        for k in &gone {
            self.topics.remove(k);
        }
        !gone.is_empty()
    }

    fn evict_weakest_engaged(&mut self, how_many: usize) -> bool {
        let (now, hl) = (self.newest(), self.half_life_days);
        let mut candidates = Vec::new();
        for (k, e) in &self.engaged {
            candidates.push((e.decayed(now, hl), k));
        }
        let gone = weakest_keys(candidates, how_many);
        for k in &gone {
            self.engaged.remove(k);
        }
        !gone.is_empty()
    }

    fn evict_oldest_dismissed(&mut self, how_many: usize) -> bool {
        // Epoch milliseconds are exact in an f64 (below 2^53), so the order is the time order.
        let mut candidates = Vec::new();
        for (k, &at) in &self.dismissed {
            candidates.push((at as f64, k));
        }
        let gone = weakest_keys(candidates, how_many);
        for k in &gone {
            self.dismissed.remove(k);
        }
        !gone.is_empty()
    }

    /// Rough serialized bytes of each part, in one pass with plain loops (an iterator
    /// sum per part, here and in `enforce_bounds`, was a fold instance each): engaged
    /// items, recent events, dismissed items, impressions (item ids), topics without a
    /// declaration or mute; then all topics, and the impressions' campaigns.
    #[inline(never)]
    fn part_bytes(&self) -> [usize; 7] {
        let mut b = [0; 7];
        for k in self.engaged.keys() {
            b[0] += k.len() + ENGAGED_BYTES;
        }
        for e in &self.recent {
            b[1] += e.item.len() + EVENT_BYTES;
        }
        for k in self.dismissed.keys() {
            b[2] += k.len() + DISMISSED_BYTES;
        }
        for s in &self.shown {
            b[3] += s.item.len() + SHOWN_BYTES;
            b[6] += s.campaign.as_ref().map_or(0, |c| c.len());
        }
        for (k, s) in &self.topics {
            let n = k.len() + TOPIC_BYTES;
            b[5] += n;
            if s.pref.is_none() && !s.muted {
                b[4] += n;
            }
        }
        b
    }

    /// A cheap upper-bound-ish estimate of the serialized size.
    fn estimate_bytes(&self) -> usize {
        let b = self.part_bytes();
        200 + b[5] + b[0] + b[1] + b[2] + b[3] + b[6]
    }

    /// Brings the profile within its bounds by evicting the weakest observed
    /// data. Returns `false` when declared and muted topics alone exceed them
    /// (the caller then refuses the change).
    pub(crate) fn enforce_bounds(&mut self) -> bool {
        // Each step evicts from one part, chosen here, through the one `evict` below:
        // first the counts over their bounds, then, while the size is over, the
        // largest part an eighth at a time. Once the size has been measured exactly
        // (rare: long ids), it is measured exactly from then on.
        let mut exact = false;
        loop {
            let (part, n) = if self.topics.len() > MAX_TOPICS {
                (4, self.topics.len() - MAX_TOPICS)
            } else if self.engaged.len() > MAX_ENGAGED {
                (0, self.engaged.len() - MAX_ENGAGED)
            } else if self.dismissed.len() > MAX_DISMISSED {
                (2, self.dismissed.len() - MAX_DISMISSED)
            } else if self.recent.len() > MAX_RECENT {
                (1, self.recent.len() - MAX_RECENT)
            } else {
                if !exact && self.estimate_bytes() <= MAX_SERIALIZED_BYTES {
                    return true;
                }
                exact = true;
                if self.to_json().len() <= MAX_SERIALIZED_BYTES {
                    return true;
                }
                // The largest part that has anything (the last of equal ones).
                let b = self.part_bytes();
                let mut part = 5;
                let mut largest = 0;
                for (k, &n) in b[..5].iter().enumerate() {
                    if n > 0 && n >= largest {
                        (part, largest) = (k, n);
                    }
                }
                let len = match part {
                    0 => self.engaged.len(),
                    1 => self.recent.len(),
                    2 => self.dismissed.len(),
                    3 => self.shown.len(),
                    4 => self.topics.len(),
                    _ => return false,
                };
                (part, len / 8)
            };
            if !self.evict(part, n) {
                return false;
            }
        }
    }

    /// Evicts `n` entries (at least one) from part `part` (numbered as in
    /// [`part_bytes`](Self::part_bytes)): the weakest engaged items or observed
    /// topics, the oldest events, dismissals or impressions. Returns whether any was.
    fn evict(&mut self, part: usize, n: usize) -> bool {
        match part {
            0 => self.evict_weakest_engaged(n),
            1 => {
                drop_oldest(&mut self.recent, n.max(1));
                true
            }
            2 => self.evict_oldest_dismissed(n),
            3 => {
                drop_oldest(&mut self.shown, n.max(1));
                true
            }
            _ => self.evict_weakest_topic(n),
        }
    }

    /// Checks a document read back in: every number finite and in range, every bound respected.
    // Not inlined into `from_json`: there each error was copied out once more.
    #[inline(never)]
    pub(crate) fn validate(&self) -> Result<()> {
        check_rates(self.half_life_days, self.one_off_factor)?;
        let over = |path: &str, what: &str| Err(Error::out_of_range(path, what));
        if self.topics.len() > MAX_TOPICS {
            return over("/topics", "a profile holds at most 512 topics");
        }
        if self.recent.len() > MAX_RECENT {
            return over("/recent", "a profile holds at most 50 recent events");
        }
        if self.engaged.len() > MAX_ENGAGED {
            return over("/engaged", "a profile holds at most 500 engaged items");
        }
        if self.dismissed.len() > MAX_DISMISSED {
            return over("/dismissed", "a profile holds at most 500 dismissed items");
        }
        if self.shown.len() > MAX_SHOWN {
            return over("/shown", "a profile holds at most 200 impressions");
        }
        for (id, s) in &self.topics {
            let bad = s.first > s.last || (s.days == 0 && s.w != 0.0);
            check_keyed("topics", id, s.w, bad)?;
        }
        for (k, e) in self.recent.iter().enumerate() {
            let bad = e.kind == EventKind::Impression || e.gift;
            check_indexed("recent", k, &e.item, bad)?;
        }
        for (id, e) in &self.engaged {
            check_keyed("engaged", id, e.w, false)?;
        }
        for id in self.dismissed.keys() {
            check_keyed("dismissed", id, 0.0, false)?;
        }
        for (k, s) in self.shown.iter().enumerate() {
            check_indexed("shown", k, &s.item, false)?;
        }
        if self.to_json().len() > MAX_SERIALIZED_BYTES {
            return Err(Error::out_of_range(
                "",
                "a profile may be at most 30000 bytes when serialized",
            ));
        }
        Ok(())
    }
}

/// Drops the first `n` entries of a list kept oldest first (the event log, the
/// impressions). With `remove`, which `record` has anyway, rather than a `Drain`
/// instance: the lists hold at most 50 and 200 entries.
fn drop_oldest<T>(list: &mut Vec<T>, n: usize) {
    for _ in 0..n {
        crate::list::discard(list, 0);
    }
}

/// Checks the id of entry `id` of the map `part` and its weight `w` (0 for a map
/// without weights); `bad` says a topic's evidence is inconsistent, checked last.
/// One body for every map, with the path built here only: the checks written out
/// per map, and the evidence check in `validate`, were near copies.
#[inline(never)]
fn check_keyed(part: &str, id: &str, w: f32, bad: bool) -> Result<()> {
    let p = || Path::root().key(part).key(id);
    check_id(id, p)?;
    if !(w.is_finite() && w.abs() <= MAX_ABS_WEIGHT) {
        return Err(Error::out_of_range(
            p().key("w").build(),
            "a weight must be a finite number",
        ));
    }
    if bad {
        return Err(Error::invalid(
            p().build(),
            "inconsistent evidence for this topic",
        ));
    }
    Ok(())
}

/// Checks the item id of element `k` of the list `part`; `bad` says a logged event is
/// an impression or a gift, checked after the id.
#[inline(never)]
fn check_indexed(part: &str, k: usize, item: &str, bad: bool) -> Result<()> {
    let p = || Path::root().key(part).index(k);
    check_id(item, || p().key("item"))?;
    if bad {
        return Err(Error::invalid(
            p().build(),
            "impressions and gifts are never kept in the recent-event log",
        ));
    }
    Ok(())
}

/// The keys of the `how_many` (at least one) candidates with the smallest
/// strength, ties broken by key so eviction is deterministic.
fn weakest_keys(candidates: Vec<(f64, &String)>, how_many: usize) -> Vec<String> {
    // Picked one at a time, each the weakest after the one before (keys are unique, so
    // no two candidates are equal): no index sort and comparator compiled for this one
    // list, and eviction is rare and takes at most an eighth of a part at a time.
    let before =
        |a: &(f64, &String), b: &(f64, &String)| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)).is_lt();
    let mut keys = Vec::new();
    let mut last: Option<&(f64, &String)> = None;
    while keys.len() < how_many.max(1) {
        let mut best: Option<&(f64, &String)> = None;
        for c in &candidates {
            if last.is_none_or(|l| before(l, c)) && best.is_none_or(|b| before(c, b)) {
                best = Some(c);
            }
        }
        let Some(b) = best else { break };
        keys.push(b.1.clone());
        last = best;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::weakest_keys;

    /// The keys picked one at a time are the first of the candidates sorted by strength,
    /// then key, for every count asked (0 counting as 1).
    #[test]
    fn weakest_keys_are_the_first_of_the_sorted_candidates() {
        let keys: Vec<String> = (0..40).map(|k| format!("k{}", (k * 7) % 40)).collect();
        // Repeated strengths (ties go to the key), negative ones and a NaN.
        let strength = |k: usize| match k % 9 {
            0 => f64::NAN,
            1 => -1.5,
            m => (m % 4) as f64 * 0.25,
        };
        let candidates: Vec<(f64, &String)> = keys
            .iter()
            .enumerate()
            .map(|(k, s)| (strength(k), s))
            .collect();
        let mut sorted = candidates.clone();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        for n in 0..=45 {
            let want: Vec<String> = sorted.iter().take(n.max(1)).map(|c| c.1.clone()).collect();
            assert_eq!(weakest_keys(candidates.clone(), n), want, "{n}");
        }
    }
}
