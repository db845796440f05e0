//! What every error of the core has in common: a stable machine-readable code.
//!
//! Each area of the core has its own error enum ([`PhoneError`](crate::PhoneError),
//! [`ConfigError`](crate::ConfigError), [`TimeError`](crate::TimeError), ...). The shells
//! (server, npm package, console) only need two things from any of them: the stable `code()`
//! they put on the wire and the human message from `Display`. This trait is that contract.

/// An error with a stable, SCREAMING_SNAKE_CASE code that clients can switch on.
///
/// Codes never change once published; messages may be reworded.
pub trait ErrorCode: std::fmt::Display {
    /// The stable code, e.g. `INVALID_PHONE_NUMBER`.
    fn code(&self) -> &'static str;
}
