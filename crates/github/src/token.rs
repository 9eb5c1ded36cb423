//! The API token, kept out of every output.
//!
//! [`Token`] has no `Display`, its `Debug` prints `Token(***)`, and it is not
//! `Serialize`. The only way to read it is [`Token::expose`], used once, when
//! the HTTP client is built. As a second line of defence every message this
//! crate produces goes through [`Redactor::redact`], which replaces the token
//! text wherever it appears (e.g. echoed back in an error body).

use std::fmt;

/// A GitHub API token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; blank tokens are refused.
    pub fn new(value: impl Into<String>) -> Option<Token> {
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            None
        } else {
            Some(Token(trimmed.to_owned()))
        }
    }

    /// The secret itself. Only the HTTP client should call this.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Removes a secret from text.
#[derive(Clone, Default)]
pub struct Redactor {
    secret: Option<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Redactor(***)")
    }
}

impl Redactor {
    /// A redactor for `token` (none: text passes unchanged).
    pub fn new(token: Option<&Token>) -> Self {
        Redactor {
            secret: token.map(|t| t.expose().to_owned()),
        }
    }

    /// `text` with every occurrence of the secret replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        match &self.secret {
            Some(secret) if secret.len() >= 4 => text.replace(secret.as_str(), "***"),
            _ => text.to_owned(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let token = Token::new("ghs_secret123").unwrap();
        assert_eq!(format!("{token:?}"), "Token(***)");
        let r = Redactor::new(Some(&token));
        assert_eq!(r.redact("bad: ghs_secret123!"), "bad: ***!");
        assert_eq!(format!("{r:?}"), "Redactor(***)");
        assert!(Token::new("  ").is_none());
    }
}
