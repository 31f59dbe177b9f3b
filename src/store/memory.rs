//! A [`Store`] in memory, with an optional quota and injectable failures for tests.

use super::{Store, StoreError};
use crate::sorted_map::SortedMap;

/// A store in memory. Its quota counts the bytes of keys and values, like a
/// browser's `localStorage` quota counts characters.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    map: SortedMap<String>,
    quota: Option<usize>,
    fail: Option<StoreError>,
    fail_writes_to: Option<String>,
}

impl MemoryStore {
    /// An empty store without a quota.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// An empty store that refuses writes beyond `bytes` in total.
    pub fn with_quota(bytes: usize) -> MemoryStore {
        MemoryStore {
            quota: Some(bytes),
            ..MemoryStore::default()
        }
    }

    /// Makes every operation fail with `error` (`None` restores normal operation).
    pub fn fail_with(&mut self, error: Option<StoreError>) {
        self.fail = error;
    }

    /// Makes writes to `key` fail with a quota error (`None` restores normal operation).
    pub fn fail_writes_to(&mut self, key: Option<&str>) {
        self.fail_writes_to = key.map(str::to_string);
    }

    /// Bytes used by keys and values.
    pub fn used(&self) -> usize {
        self.map.iter().map(|(k, v)| k.len() + v.len()).sum()
    }

    /// The keys present, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        if let Some(e) = &self.fail {
            return Err(e.clone());
        }
        Ok(self.map.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(e) = &self.fail {
            return Err(e.clone());
        }
        if self.fail_writes_to.as_deref() == Some(key) {
            return Err(StoreError::Quota);
        }
        if let Some(quota) = self.quota {
            let old = self.map.get(key).map_or(0, |v| key.len() + v.len());
            if self.used() - old + key.len() + value.len() > quota {
                return Err(StoreError::Quota);
            }
        }
        self.map.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        if let Some(e) = &self.fail {
            return Err(e.clone());
        }
        self.map.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_refuses_and_keeps_the_old_value() {
        let mut s = MemoryStore::with_quota(10);
        s.set("k", "12345").unwrap();
        assert_eq!(s.set("k", "1234567890"), Err(StoreError::Quota));
        assert_eq!(s.get("k").unwrap().as_deref(), Some("12345"));
        // Replacing a value counts the freed space.
        s.set("k", "123456789").unwrap();
    }

    #[test]
    fn injected_failures_are_reported() {
        let mut s = MemoryStore::new();
        s.fail_with(Some(StoreError::Denied));
        assert_eq!(s.get("k"), Err(StoreError::Denied));
        s.fail_with(None);
        s.fail_writes_to(Some("k"));
        assert_eq!(s.set("k", "v"), Err(StoreError::Quota));
        s.set("j", "v").unwrap();
    }
}
