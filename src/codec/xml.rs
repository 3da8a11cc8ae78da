//! XML 1.0 references, for the two XML readers (the SAML decoder's tree and
//! the signature stage's canonicalization tree): the five predefined
//! entities (XML 1.0 §4.6) and character references (§4.1,
//! `CharRef ::= '&#' [0-9]+ ';' | '&#x' [0-9a-fA-F]+ ';'`). No DTD is ever
//! read, so no other entity exists.

/// `lt`, `gt`, `amp`, `apos`, `quot` (XML 1.0 §4.6).
pub fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// The character a reference's name (between `&` and `;`) stands for: a
/// character reference or a predefined entity.
pub fn reference(name: &str) -> Option<char> {
    if let Some(hex) = name.strip_prefix("#x") {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    if let Some(dec) = name.strip_prefix('#') {
        return dec.parse::<u32>().ok().and_then(char::from_u32);
    }
    predefined_entity(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_predefined_entities_and_character_references() {
        assert_eq!(reference("amp"), Some('&'));
        assert_eq!(reference("#x2B"), Some('+'));
        assert_eq!(reference("#13"), Some('\r'));
        // HTML's named references are not XML's.
        assert_eq!(reference("nbsp"), None);
        // XML spells the hexadecimal marker in lower case only.
        assert_eq!(reference("#X2B"), None);
        assert_eq!(reference("#xD800"), None);
    }
}
