//! How numbers read in the lines people see: "1 card", "2 cards". One place,
//! so plurals do not drift between the plain lines and the full screen.

/// `n thing` or `n things`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "card", "cards"), "0 cards");
        assert_eq!(count(1, "card", "cards"), "1 card");
        assert_eq!(count(2, "response", "responses"), "2 responses");
    }
}
