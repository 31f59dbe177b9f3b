//! Local differential privacy mechanisms.
