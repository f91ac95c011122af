//! An SVG made safe to publish: an SVG opened on its own (a reader follows a link to it) is a
//! document that can run script and load from other sites, so what could do either is cut
//! out of the file's text: script elements, event handlers, `<foreignObject>` (HTML inside
//! the drawing), and references to anything outside the file. Cutting byte ranges out of the
//! text keeps everything else exactly as written, so a clean file is copied unchanged and a
//! cleaned one comes out the same on every build.

use std::ops::Range;

use roxmltree::{Node, NodeType};

/// One thing taken out: what it was, for the warning, and where it was in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub what: String,
    pub offset: usize,
}

/// The file's text with what was removed cut out (`None` when nothing was).
#[derive(Debug)]
pub struct Cleaned {
    pub text: Option<String>,
    pub removed: Vec<Removed>,
}

/// Elements that run script or hold another kind of document.
const REMOVED_ELEMENTS: [&str; 4] = ["script", "foreignobject", "handler", "listener"];

const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// Cleans `text`; `Err` says why it cannot be read as an SVG at all.
pub fn sanitise(text: &str) -> Result<Cleaned, String> {
    if text.contains("<!ENTITY") {
        return Err("it declares XML entities, which could hide anything; export it without a DOCTYPE".to_string());
    }
    let document = super::parse(text).map_err(|e| format!("it is not well-formed XML ({e})"))?;
    let mut cuts: Vec<Cut> = Vec::new();
    for node in document.root().descendants() {
        match node.node_type() {
            NodeType::PI => cuts.push(Cut::whole(
                node.range(),
                "a processing instruction (`<?…?>`)".to_string(),
            )),
            NodeType::Element => element(text, node, &mut cuts),
            _ => {}
        }
    }
    cuts.sort_by_key(|cut| (cut.range.start, std::cmp::Reverse(cut.range.end)));
    let mut kept: Vec<Cut> = Vec::new();
    for cut in cuts {
        // An attribute inside an element already cut goes with it.
        if kept.last().is_some_and(|last| cut.range.start < last.range.end) {
            continue;
        }
        kept.push(cut);
    }
    if kept.is_empty() {
        return Ok(Cleaned {
            text: None,
            removed: Vec::new(),
        });
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for cut in &kept {
        out.push_str(&text[at..cut.range.start]);
        at = cut.range.end;
    }
    out.push_str(&text[at..]);
    let removed = kept
        .into_iter()
        .map(|cut| Removed {
            what: cut.what,
            offset: cut.at,
        })
        .collect();
    Ok(Cleaned {
        text: Some(out),
        removed,
    })
}

/// A range of the text to cut, what it is, and where to point at it.
struct Cut {
    range: Range<usize>,
    what: String,
    at: usize,
}

impl Cut {
    fn whole(range: Range<usize>, what: String) -> Cut {
        Cut {
            at: range.start,
            range,
            what,
        }
    }
}

/// What to cut from one element: the whole element, or some of its attributes.
fn element(text: &str, node: Node<'_, '_>, cuts: &mut Vec<Cut>) {
    let name = node.tag_name().name();
    let lower = name.to_ascii_lowercase();
    if REMOVED_ELEMENTS.contains(&lower.as_str()) {
        cuts.push(Cut::whole(node.range(), format!("a <{name}> element")));
        return;
    }
    // HTML elements (an `<iframe>`, an `<img src>`) outside `<foreignObject>` too.
    if node.tag_name().namespace() == Some(XHTML) {
        cuts.push(Cut::whole(node.range(), format!("an HTML <{name}> element")));
        return;
    }
    if lower == "style" {
        let css: String = node.descendants().filter_map(|n| n.text()).collect();
        if let Some(found) = css_reference(&css) {
            cuts.push(Cut::whole(node.range(), format!("a <style> element with {found}")));
        }
        return;
    }
    // `<set attributeName="href" to="javascript:…">` would put back what is removed below.
    if matches!(lower.as_str(), "set" | "animate")
        && node
            .attribute("attributeName")
            .is_some_and(|a| is_handler(a) || a.ends_with("href"))
    {
        cuts.push(Cut::whole(
            node.range(),
            format!("a <{name}> element that changes a link or handler"),
        ));
        return;
    }
    for attribute in node.attributes() {
        let (attribute_name, value) = (attribute.name(), attribute.value());
        let why = if is_handler(attribute_name) {
            Some(format!("the event handler `{attribute_name}`"))
        } else if attribute_name == "href" && !allowed_reference(value) {
            Some(format!("the external reference `{}`", short(value)))
        } else {
            css_reference(value).map(|found| format!("the `{attribute_name}` attribute with {found}"))
        };
        if let Some(why) = why {
            cuts.push(Cut {
                range: with_space_before(text, attribute.range()),
                what: why,
                at: attribute.range().start,
            });
        }
    }
}

/// `onload`, `onclick`… in any case.
fn is_handler(name: &str) -> bool {
    name.len() > 2 && name[..2].eq_ignore_ascii_case("on")
}

/// A reference that stays inside the file: `#id`, or a picture in a `data:` URL.
fn allowed_reference(value: &str) -> bool {
    let value = value.trim();
    if value.starts_with('#') {
        return true;
    }
    let lower: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

/// What in some CSS loads from outside the file: an `@import`, or a `url()` that is not
/// `#id` or a `data:` picture. CSS escapes and comments are undone first, so `\75rl(` is
/// seen as `url(`.
fn css_reference(css: &str) -> Option<String> {
    let css = unescape_css(css).to_ascii_lowercase();
    if css.contains("@import") {
        return Some("an `@import`".to_string());
    }
    let mut rest = css.as_str();
    while let Some(at) = rest.find("url(") {
        let inside = &rest[at + 4..];
        let end = inside.find(')').unwrap_or(inside.len());
        let target = inside[..end].trim().trim_matches(['"', '\'']).trim();
        if !allowed_reference(target) {
            return Some(format!("`url({})`", short(target)));
        }
        rest = &inside[end..];
    }
    None
}

/// CSS with its comments dropped and its escapes (`\75`, `\u`) read as the characters they
/// stand for.
fn unescape_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '\\' => {
                let mut hex = String::new();
                while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
                    hex.extend(chars.next());
                }
                if hex.is_empty() {
                    out.extend(chars.next());
                } else {
                    if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                        chars.next();
                    }
                    let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// An attribute's range with the spaces before it, so no gap is left where it was.
fn with_space_before(text: &str, range: Range<usize>) -> Range<usize> {
    let before = &text[..range.start];
    let trimmed = before.trim_end_matches([' ', '\t', '\n', '\r']);
    trimmed.len()..range.end
}

/// A value cut short for a message.
fn short(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &value[..i]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(text: &str) -> (String, Vec<String>) {
        match sanitise(text) {
            Ok(c) => (
                c.text.unwrap_or_else(|| text.to_string()),
                c.removed.into_iter().map(|r| r.what).collect(),
            ),
            Err(e) => panic!("{e}"),
        }
    }

    const NS: &str = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";

    #[test]
    fn a_clean_file_is_left_as_it_is() {
        let text = format!("<svg {NS}>\n  <defs><g id=\"a\"/></defs><use xlink:href=\"#a\" fill=\"url(#g)\"/>\n</svg>");
        let result = sanitise(&text).map(|c| c.text.is_none());
        assert_eq!(result, Ok(true));
    }

    #[test]
    fn script_handlers_and_external_references_are_cut_out() {
        let text = format!(
            "<?xml-stylesheet href=\"https://x.example/a.css\"?><svg {NS} onload=\"alert(1)\">\
             <script>alert(2)</script><a xlink:href=\"javascript:alert(3)\"><text>t</text></a>\
             <image href=\"https://x.example/p.png\"/><image href=\"data:image/png;base64,AA\"/>\
             <foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject>\
             <style>@import url(https://x.example/b.css);</style>\
             <rect style=\"fill: \\75rl(https://x.example/c)\" ONCLICK=\"x()\"/>\
             <set attributeName=\"href\" to=\"javascript:alert(4)\"/></svg>"
        );
        let (out, removed) = cleaned(&text);
        assert_eq!(
            out,
            format!("<svg {NS}><a><text>t</text></a><image/><image href=\"data:image/png;base64,AA\"/><rect/></svg>")
        );
        assert_eq!(removed.len(), 10, "{removed:?}");
        assert!(removed[0].starts_with("a processing instruction"), "{removed:?}");
        assert!(
            removed.contains(&"the event handler `onload`".to_string()),
            "{removed:?}"
        );
        assert!(
            removed.contains(&"the event handler `ONCLICK`".to_string()),
            "{removed:?}"
        );
        assert!(
            removed.contains(&"the external reference `javascript:alert(3)`".to_string()),
            "{removed:?}"
        );
    }

    #[test]
    fn html_elements_are_cut_out_wherever_they_are() {
        let text = format!(
            "<svg {NS} xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:img src=\"https://x.example/p\"/><g/></svg>"
        );
        let (out, removed) = cleaned(&text);
        assert_eq!(
            out,
            format!("<svg {NS} xmlns:h=\"http://www.w3.org/1999/xhtml\"><g/></svg>")
        );
        assert_eq!(removed, ["an HTML <img> element"]);
    }

    #[test]
    fn files_that_are_not_xml_or_declare_entities_are_refused() {
        assert!(sanitise("<svg><g></svg>").is_err());
        let entities = "<!DOCTYPE svg [<!ENTITY x \"<script>a()</script>\">]><svg>&x;</svg>";
        assert!(sanitise(entities).is_err());
    }
}
