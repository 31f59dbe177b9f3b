//! The error type shared by every part of the core.

use std::fmt;

use crate::text::concat;

/// What went wrong, with the place in the input document when there is one.
///
/// The type is opaque so that new kinds of error can be added without
/// breaking callers; ask it for its [`path`](Error::path) and
/// [`message`](Error::message), or display it.
///
/// It is one pointer wide: every `Result` in the crate carries it, and a `?` moves a
/// pointer, not the three fields, which kept the shipped code smaller at each of the
/// crate's several hundred `?`s.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    path: String,
    message: String,
}

/// The broad class of an error, so a caller can decide how to react
/// (at the JavaScript boundary it picks `TypeError`, `RangeError` or `Error`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not well formed or has the wrong type (JSON syntax, a string where a number belongs).
    Invalid,
    /// A value is outside what is allowed (a weight above 1, too many items).
    OutOfRange,
    /// Something named does not exist (an unknown topic or item).
    NotFound,
    /// A stored or imported document is from a version this build does not know.
    Unsupported,
}

impl Error {
    /// A new error of `kind` at `path` (a JSON-pointer-like path, empty for the whole input).
    pub fn new(kind: ErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            path: path.into(),
            message: message.into(),
        }))
    }

    /// An [`ErrorKind::Invalid`] error.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, path, message)
    }

    /// An [`ErrorKind::OutOfRange`] error.
    pub fn out_of_range(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::OutOfRange, path, message)
    }

    /// An [`ErrorKind::NotFound`] error.
    pub fn not_found(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, path, message)
    }

    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Where in the input the problem is, e.g. `/items/31/topics/hikin`; empty when it concerns the whole input.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What is wrong, in words a web developer understands.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The text [`Display`](fmt::Display) shows, `path: message`, built without the
    /// formatting machinery (`to_string` would bring all of it into the wasm).
    pub(crate) fn describe(&self) -> String {
        let Inner { path, message, .. } = &*self.0;
        if path.is_empty() {
            message.clone()
        } else {
            concat(&[path, ": ", message])
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error({:?}, {:?}, {:?})",
            self.0.kind, self.0.path, self.0.message
        )
    }
}

impl std::error::Error for Error {}

/// A result whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
