//! The writer's raw HTML read tag by tag, for what the HTML stage would otherwise do silently:
//! each element or attribute the sanitiser removes (SP082), and each `<img>` without alt text
//! (SP081). What is removed is worked out from the sanitiser's own policy (`html_out::builder`:
//! its tags, attributes and URL schemes), so the two can never disagree about what is allowed.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use super::Renderer;
use super::html_out::{builder, truncate};
use crate::config::RawHtmlPolicy;
use crate::diagnostics::{Code, Diagnostic};
use crate::third_party::{Attribute, attributes, tag_end};

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Elements that embed another document, usually another site's.
const EMBEDS: &[&str] = &["iframe", "frame", "embed", "object"];

/// One start tag: its name in lower case, where its `<` is, and its attributes.
pub(super) struct StartTag {
    pub name: String,
    pub offset: usize,
    pub attributes: Vec<Attribute>,
}

/// The raw HTML of one HTML block (given line by line) or one inline tag, and where each piece
/// of it was written, so that a tag spanning lines is read whole and placed exactly.
#[derive(Default)]
pub(super) struct RawHtml {
    text: String,
    /// (start in `text`, offset in the markdown) of each piece.
    pieces: Vec<(usize, usize)>,
}

impl RawHtml {
    pub fn push(&mut self, text: &str, offset: usize) {
        self.pieces.push((self.text.len(), offset));
        self.text.push_str(text);
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The offset in the markdown of byte `at` of the text.
    pub fn source_offset(&self, at: usize) -> usize {
        let index = self.pieces.partition_point(|&(start, _)| start <= at);
        match index.checked_sub(1).and_then(|i| self.pieces.get(i)) {
            Some(&(start, offset)) => offset + (at - start),
            None => at,
        }
    }
}

/// Every start tag in `html`, skipping comments, end tags, declarations and the text of
/// elements such as `<script>` whose content is not markup.
pub(super) fn start_tags(html: &str) -> Vec<StartTag> {
    let bytes = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            at = html[lt + 4..].find("-->").map_or(html.len(), |i| lt + 4 + i + 3);
            continue;
        }
        let starts_name = bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic);
        if rest.starts_with("</") || rest.starts_with("<!") || rest.starts_with("<?") {
            at = tag_end(bytes, lt + 1);
            continue;
        }
        if !starts_name {
            at = lt + 1;
            continue;
        }
        let name_end = bytes[lt + 1..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b':' || *b == b'-'))
            .map_or(bytes.len(), |i| lt + 1 + i);
        let name = lower[lt + 1..name_end].to_string();
        let end = tag_end(bytes, name_end);
        let attributes = attributes(&html[name_end..end], name_end);
        at = end.max(lt + 1);
        if RAW_TEXT.contains(&name.as_str()) {
            at = lower[at..].find(&format!("</{name}")).map_or(html.len(), |i| at + i);
        }
        tags.push(StartTag {
            name,
            offset: lt,
            attributes,
        });
    }
    tags
}

/// Where each `<img>` without alt text starts. `alt=""` says the image is decorative; an
/// `alt` of spaces says nothing, so it is treated as missing.
pub(super) fn images_without_alt(tags: &[StartTag]) -> impl Iterator<Item = usize> + '_ {
    tags.iter()
        .filter(|tag| tag.name == "img")
        .filter(|tag| {
            !tag.attributes
                .iter()
                .any(|a| a.name == "alt" && (a.value.is_empty() || !a.value.trim().is_empty()))
        })
        .map(|tag| tag.offset)
}

/// What the sanitiser keeps, read once from its builder.
struct Policy {
    tags: HashSet<&'static str>,
    content_removed: HashSet<&'static str>,
    tag_attributes: HashMap<&'static str, HashSet<&'static str>>,
    generic_attributes: HashSet<&'static str>,
    generic_prefixes: Vec<&'static str>,
    schemes: HashSet<&'static str>,
}

static POLICY: LazyLock<Policy> = LazyLock::new(|| {
    let builder = builder();
    Policy {
        tags: builder.clone_tags(),
        content_removed: builder.clone_clean_content_tags(),
        tag_attributes: builder.clone_tag_attributes(),
        generic_attributes: builder.clone_generic_attributes(),
        generic_prefixes: builder
            .clone_generic_attribute_prefixes()
            .map(|set| set.into_iter().collect())
            .unwrap_or_default(),
        schemes: builder.clone_url_schemes(),
    }
});

/// Something the sanitiser removes, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Removal {
    pub offset: usize,
    pub tag: String,
    pub what: Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Removed {
    /// The element; `content` when its content goes with it (`<script>`, `<style>`).
    Element { content: bool },
    /// An attribute the element may not have.
    Attribute { name: String },
    /// A URL attribute whose URL the sanitiser does not allow.
    Url { name: String, url: String },
}

/// Everything in `tags` the sanitiser removes, in order.
pub(super) fn removals(tags: &[StartTag]) -> Vec<Removal> {
    let policy = &*POLICY;
    let mut out = Vec::new();
    for tag in tags {
        let name = tag.name.as_str();
        if !policy.tags.contains(name) {
            let content = policy.content_removed.contains(name);
            out.push(Removal {
                offset: tag.offset,
                tag: tag.name.clone(),
                what: Removed::Element { content },
            });
            continue;
        }
        for attribute in &tag.attributes {
            let attr = attribute.name.as_str();
            let allowed = policy.generic_attributes.contains(attr)
                || policy.generic_prefixes.iter().any(|p| attr.starts_with(p))
                || policy.tag_attributes.get(name).is_some_and(|set| set.contains(attr));
            let what = if !allowed {
                Removed::Attribute { name: attr.to_string() }
            } else if is_url_attribute(name, attr) && !url_allowed(&attribute.value, policy) {
                Removed::Url {
                    name: attr.to_string(),
                    url: attribute.value.clone(),
                }
            } else {
                continue;
            };
            out.push(Removal {
                offset: attribute.offset,
                tag: tag.name.clone(),
                what,
            });
        }
    }
    out
}

/// The attributes ammonia reads as URLs (its `is_url_attr`).
fn is_url_attribute(tag: &str, attr: &str) -> bool {
    matches!(attr, "href" | "xlink:href" | "src")
        || (tag == "form" && attr == "action")
        || (tag == "object" && attr == "data")
        || (matches!(tag, "button" | "input") && attr == "formaction")
        || (tag == "a" && attr == "ping")
        || (tag == "video" && attr == "poster")
}

/// Whether the sanitiser keeps this URL: a relative one, or one with an allowed scheme.
fn url_allowed(value: &str, policy: &Policy) -> bool {
    match url::Url::parse(value) {
        Ok(url) => policy.schemes.contains(url.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// The warning for one removal (the caller places it at a line and column).
pub(super) fn removal_warning(file: &Path, removal: &Removal) -> Diagnostic {
    let tag = &removal.tag;
    let (message, hint) = match &removal.what {
        Removed::Element { .. } if EMBEDS.contains(&tag.as_str()) => (
            format!("removed `<{tag}>`: third-party embeds are not allowed by the site's privacy policy"),
            "an embed makes every reader's browser contact another site; use the video shortcode, or a link the reader chooses to follow".to_string(),
        ),
        Removed::Element { .. } if tag == "script" => (
            "removed `<script>` and its code: scripts are not allowed in page text".to_string(),
            "a script could track readers or change what the page says; behaviour belongs in the theme's templates and static files".to_string(),
        ),
        Removed::Element { .. } if tag == "style" => (
            "removed `<style>` and its rules: styles are not allowed in page text".to_string(),
            "give the element a class and style it in the theme's stylesheet".to_string(),
        ),
        Removed::Element { content } => (
            match content {
                true => format!("removed `<{tag}>` and its content: the sanitiser does not allow it"),
                false => format!("removed `<{tag}>` (its text is kept): the sanitiser does not allow it"),
            },
            "write it in markdown, or use an element the sanitiser keeps (docs/reference.md, \"Raw HTML\")".to_string(),
        ),
        Removed::Attribute { name } if name == "style" => (
            format!("removed the `style` attribute of `<{tag}>`: inline styles are not allowed"),
            "give the element a class (`class` is kept) and style it in the theme's stylesheet".to_string(),
        ),
        Removed::Attribute { name } if name.starts_with("on") => (
            format!("removed the `{name}` attribute of `<{tag}>`: event handlers run scripts"),
            "a script could track readers or change what the page says; remove the attribute".to_string(),
        ),
        Removed::Attribute { name } => (
            format!("removed the `{name}` attribute of `<{tag}>`: the sanitiser does not allow it there"),
            "remove it, or use markdown or an attribute the sanitiser keeps (docs/reference.md, \"Raw HTML\")".to_string(),
        ),
        Removed::Url { name, url } => (
            format!("removed the `{name}` of `<{tag}>`: the URL `{}` is not allowed", truncate(url, 60)),
            "URLs may be paths on this site or use http:, https:, mailto: or tel:".to_string(),
        ),
    };
    // Trusted HTML keeps an embed, but its origin must still be allowed (SP080).
    let embed = matches!(removal.what, Removed::Element { .. }) && EMBEDS.contains(&tag.as_str());
    let allow = if embed {
        " and allow the embed's origin in [privacy] allow"
    } else {
        ""
    };
    Diagnostic::warning(file, message)
        .code(Code::HtmlRemoved)
        .with_hint(format!(
            "{hint}; or, where the site's writers are trusted, set [markdown] raw_html = \"trust\"{allow}"
        ))
}

impl Renderer<'_> {
    /// Reports what the sanitiser will remove from a piece of raw HTML, and its images
    /// without alt text.
    pub(super) fn check_raw_html(&mut self, raw: RawHtml) {
        if raw.is_empty() {
            return;
        }
        let tags = start_tags(raw.text());
        let mut found: Vec<(usize, Diagnostic)> = images_without_alt(&tags)
            .map(|at| {
                let diagnostic = Diagnostic::error(self.origin.file, "an `<img>` without alt text")
                    .code(Code::MissingAltText)
                    .with_hint("describe what the image shows in `alt=\"…\"`, or mark it decorative with `alt=\"\"`");
                (at, diagnostic)
            })
            .collect();
        if self.config.markdown.raw_html == RawHtmlPolicy::Sanitize {
            for removal in removals(&tags) {
                found.push((removal.offset, removal_warning(self.origin.file, &removal)));
            }
        }
        found.sort_by_key(|(at, _)| *at);
        for (at, diagnostic) in found {
            let offset = self.origin.body_start + raw.source_offset(at);
            self.out.diagnostics.push(diagnostic.at(self.origin.text, offset));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn removed(html: &str) -> Vec<(usize, String, Removed)> {
        removals(&start_tags(html))
            .into_iter()
            .map(|r| (r.offset, r.tag, r.what))
            .collect()
    }

    #[test]
    fn allowed_html_removes_nothing() {
        let html = "<div class=\"x\" id=\"y\"><p>a <a href=\"/b/\">b</a> <em>c</em><img src=\"k.png\" alt=\"k\"></p>\n<details><summary>s</summary>t</details></div>";
        assert_eq!(removed(html), []);
    }

    #[test]
    fn elements_attributes_and_urls_that_go() {
        let html = "<iframe src=\"https://v.example/\"></iframe><p onclick=\"x()\" style=\"color:red\">a</p><blink>b</blink><a href=\"javascript:x\">c</a>";
        let found = removed(html);
        assert_eq!(found[0], (0, "iframe".into(), Removed::Element { content: false }));
        assert_eq!(found[1].2, Removed::Attribute { name: "onclick".into() });
        assert_eq!(found[1].0, html.find("onclick").unwrap_or(0));
        assert_eq!(found[2].2, Removed::Attribute { name: "style".into() });
        assert_eq!(
            found[3],
            (
                html.find("<blink").unwrap_or(0),
                "blink".into(),
                Removed::Element { content: false }
            )
        );
        assert!(matches!(&found[4].2, Removed::Url { name, .. } if name == "href"));
        assert_eq!(found.len(), 5);
    }

    #[test]
    fn script_text_and_comments_are_not_read_as_tags() {
        let html = "<script>if (a <iframe) {}</script><!-- <blink> --><p>ok</p>";
        assert_eq!(
            removed(html),
            [(0, "script".into(), Removed::Element { content: true })]
        );
    }

    #[test]
    fn malformed_and_nested_html_is_read_tag_by_tag() {
        let html = "<div><section><p lang=\"a>b\" onmouseover=x>t<span\n  onclick='y'>u</div><3 < 4";
        let names: Vec<String> = removed(html)
            .into_iter()
            .map(|(_, _, what)| format!("{what:?}"))
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names[0].contains("onmouseover") && names[1].contains("onclick"),
            "{names:?}"
        );
    }

    #[test]
    fn what_is_reported_is_what_the_sanitiser_removes() {
        let cases = [
            "<div><p>a<b>b</p></div>",
            "<p><iframe src=x></iframe>text</p>",
            "<ul><li><span style=x class=y>a</li></ul>",
            "<div/onclick=x>y</div>",
            "<a href='java\tscript:x' title=t>z</a><a href=\"/ok/\">ok</a>",
            "<table><tr><td onmouseover=x align=left>1</td></tr></table>",
            "<b title=\"a>b\" lang=en>c</b><blink id=q>d</blink>",
            "<img src=k.png alt=k width=3 loading=lazy>",
            "<details open><summary>s</summary><p dir=rtl>t</p></details>",
        ];
        for html in cases {
            let cleaned = builder().clean(html).to_string();
            let reported = removals(&start_tags(html));
            let attributes = |tags: &[StartTag]| -> usize { tags.iter().map(|t| t.attributes.len()).sum() };
            let gone_with_elements: usize = start_tags(html)
                .iter()
                .filter(|t| !POLICY.tags.contains(t.name.as_str()))
                .map(|t| t.attributes.len())
                .sum();
            let attributes_reported = reported
                .iter()
                .filter(|r| !matches!(r.what, Removed::Element { .. }))
                .count();
            assert_eq!(
                attributes(&start_tags(html)) - gone_with_elements - attributes_reported,
                attributes(&start_tags(&cleaned)),
                "{html} became {cleaned}; reported {reported:?}"
            );
            for removal in &reported {
                if let Removed::Element { .. } = removal.what {
                    assert!(!cleaned.contains(&format!("<{}", removal.tag)), "{html}: {cleaned}");
                }
            }
        }
    }

    #[test]
    fn images_need_alt_but_may_be_decorative() {
        let html = "<img src=a><img src=b alt=\"\"><img src=c alt=\"  \"><img alt=\"d\" src=d>";
        let missing: Vec<usize> = images_without_alt(&start_tags(html)).collect();
        assert_eq!(missing, [0, html.find("<img src=c").unwrap_or(0)]);
    }

    #[test]
    fn pieces_map_back_to_where_they_were_written() {
        let mut raw = RawHtml::default();
        raw.push("<div\n", 10);
        raw.push("onclick=x>\n", 40);
        assert_eq!(raw.source_offset(0), 10);
        assert_eq!(raw.source_offset(5), 40);
        assert_eq!(raw.source_offset(7), 42);
    }
}
