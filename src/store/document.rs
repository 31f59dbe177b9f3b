//! The stored document.
