//! Per-client token buckets, in memory only (addresses are never stored or logged).
//!
//! Each client address has a bucket of `burst` tokens refilled at
//! `requests_per_second`; a request takes one token. With none left the answer
//! is 429 with `Retry-After` set to the whole seconds until the next token.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::RateLimitConfig;

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The limiter shared by the handlers.
#[derive(Debug)]
pub struct RateLimiter {
    config: RateLimitConfig,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    /// A limiter with these parameters.
    pub fn new(config: RateLimitConfig) -> Self {
        RateLimiter {
            config,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client` at `now`; `Err(seconds)` says when to retry.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if !self.config.enabled {
            return Ok(());
        }
        let rate = self.config.requests_per_second;
        let burst = f64::from(self.config.burst);
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if buckets.len() >= self.config.max_clients && !buckets.contains_key(&client) {
            // Forget clients whose bucket has refilled: they lose nothing by it.
            buckets
                .retain(|_, b| b.tokens + now.duration_since(b.last).as_secs_f64() * rate < burst);
            if buckets.len() >= self.config.max_clients {
                buckets.clear();
            }
        }
        let b = buckets.entry(client).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        // tokens(t) = min(burst, tokens(t0) + rate · (t − t0))
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - b.tokens) / rate;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limiter(rate: f64, burst: u32) -> RateLimiter {
        RateLimiter::new(RateLimitConfig {
            enabled: true,
            requests_per_second: rate,
            burst,
            max_clients: 2,
        })
    }

    #[test]
    fn burst_then_refusal_then_refill() {
        let l = limiter(0.5, 2);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let t = Instant::now();
        assert!(l.check(a, t).is_ok());
        assert!(l.check(a, t).is_ok());
        assert_eq!(l.check(a, t), Err(2));
        assert!(l.check(a, t + Duration::from_secs(2)).is_ok());
    }

    #[test]
    fn clients_are_independent_and_memory_is_bounded() {
        let l = limiter(1.0, 1);
        let t = Instant::now();
        for i in 0..10u8 {
            let ip: IpAddr = [10, 0, 0, i].into();
            assert!(l.check(ip, t).is_ok());
        }
        assert!(l.buckets.lock().unwrap().len() <= 2);
    }
}
