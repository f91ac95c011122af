//! Request targets to paths of the site. The path is only ever looked up in the map of built
//! files, but a path that tries to leave the site is refused all the same.

/// The decoded path of a request target, or None if it tries to leave the site: `..`
/// segments, backslashes, NUL bytes or invalid percent-encoding, in any encoded form.
pub fn clean_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return None;
    }
    if decoded.contains("//") {
        return None;
    }
    Some(decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            // from_str_radix alone would take "%+5" as byte 5.
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_in_every_form() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/..%2fx",
            "/..%5cx",
            "/a%00b",
            "relative",
            "/%zz",
            "//etc/passwd",
            "/a/./b",
        ] {
            assert_eq!(clean_path(bad), None, "{bad}");
        }
        assert_eq!(clean_path("/a/b/?q=1").as_deref(), Some("/a/b/"));
        assert_eq!(clean_path("/caf%C3%A9/").as_deref(), Some("/café/"));
    }
}
