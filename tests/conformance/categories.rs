//! The documented ways Signpost's HTML differs from a spec's reference HTML on purpose
//! (docs/reference.md, "Conformance"), each a rule that undoes the difference. An example that
//! matches once the rules are applied is explained; the categories it is counted in are those
//! whose rule it needs (without which it does not match).

use signpost::markdown::site_link::{Destination, classify};
use signpost::markdown::{InternalLink, LINK_PLACEHOLDER, LinkKind};

use super::tree::{Node, normalise};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// A GFM extension Signpost does not enable: the autolink extension (bare URLs and
    /// addresses are not made links) and the disallowed-raw-HTML filter (the sanitiser does
    /// that work). Told by the example's section, [`EXTENSIONS_OFF`].
    ExtensionOff,
    /// A link whose scheme is not on Signpost's list (`http`, `https`, `mailto`, `tel`, `sms`)
    /// is removed, its text kept, with a warning (SP unsafe-URL); it matches with `raw_html =
    /// "trust"`, which keeps every link.
    UnsafeLinkRemoved,
    /// Raw HTML is sanitised (`[markdown] raw_html = "sanitize"`, the default): the example
    /// matches when rendered with `raw_html = "trust"`.
    RawHtmlSanitised,
    /// A table sits in a `div.table-wrap` that scrolls sideways, and cells are aligned by class
    /// rather than by a `style` attribute (a strict Content-Security-Policy).
    TableWrapped,
    /// A heading has an id and a link to itself.
    HeadingAnchor,
    /// A code block is highlighted with classes (`pre.code[data-lang]`, spans inside).
    CodeHighlighted,
    /// A link or image inside the site is a placeholder that the `links` stage resolves to
    /// the target's URL under the base path (and checks).
    SiteLinkResolved,
}

impl Category {
    /// The categories with a rule of their own; [`Category::ExtensionOff`] is told by the
    /// section, and [`Category::UnsafeLinkRemoved`] from [`Category::RawHtmlSanitised`] by
    /// the warning.
    pub const RULES: [Category; 5] = [
        Category::RawHtmlSanitised,
        Category::TableWrapped,
        Category::HeadingAnchor,
        Category::CodeHighlighted,
        Category::SiteLinkResolved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::ExtensionOff => "a GFM extension that is not enabled",
            Category::UnsafeLinkRemoved => "a link with an unlisted scheme removed",
            Category::RawHtmlSanitised => "raw HTML sanitised",
            Category::TableWrapped => "table wrapped for sideways scrolling",
            Category::HeadingAnchor => "heading id and anchor link",
            Category::CodeHighlighted => "code highlighted with classes",
            Category::SiteLinkResolved => "link inside the site resolved later",
        }
    }
}

/// The spec sections of GFM extensions that Signpost does not enable.
pub const EXTENSIONS_OFF: [&str; 2] = ["Autolinks (extension)", "Disallowed Raw HTML (extension)"];

/// One example's output: its tree and the internal links its placeholders stand for.
pub struct Output<'a> {
    pub tree: &'a [Node],
    pub links: &'a [InternalLink],
    /// Whether a link with an unsafe scheme was removed (and reported).
    pub dropped_unsafe_link: bool,
}

/// How an example compares: exact, explained (by the categories it needs), or unexplained.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Exact,
    Explained(Vec<Category>),
    Unexplained,
}

/// Compares Signpost's output (`sanitised`, with the default raw-HTML policy, and `trusted`)
/// with the reference tree of an example of `section`.
pub fn judge(section: &str, sanitised: &Output<'_>, trusted: &Output<'_>, reference: &[Node]) -> Verdict {
    if sanitised.tree == reference {
        return Verdict::Exact;
    }
    if EXTENSIONS_OFF.contains(&section) {
        return Verdict::Explained(vec![Category::ExtensionOff]);
    }
    let all = Category::RULES.to_vec();
    if !matches_with(&all, sanitised, trusted, reference) {
        return Verdict::Unexplained;
    }
    let needed = Category::RULES
        .into_iter()
        .filter(|c| {
            let without: Vec<Category> = all.iter().copied().filter(|o| o != c).collect();
            !matches_with(&without, sanitised, trusted, reference)
        })
        // Both are undone by the trusted rendering: the warning tells which it was.
        .map(|c| match c {
            Category::RawHtmlSanitised if sanitised.dropped_unsafe_link => Category::UnsafeLinkRemoved,
            c => c,
        })
        .collect();
    Verdict::Explained(needed)
}

fn matches_with(rules: &[Category], sanitised: &Output<'_>, trusted: &Output<'_>, reference: &[Node]) -> bool {
    let output = match rules.contains(&Category::RawHtmlSanitised) {
        true => trusted,
        false => sanitised,
    };
    let mut ours = output.tree.to_vec();
    let mut reference = reference.to_vec();
    for rule in rules {
        match rule {
            Category::ExtensionOff | Category::UnsafeLinkRemoved | Category::RawHtmlSanitised => {}
            Category::TableWrapped => {
                unwrap_tables(&mut ours);
                align_cells(&mut reference);
            }
            Category::HeadingAnchor => plain_headings(&mut ours),
            Category::CodeHighlighted => {
                plain_code(&mut ours);
                plain_code(&mut reference);
            }
            Category::SiteLinkResolved => restore_site_links(&mut ours, &reference, output.links),
        }
    }
    normalise(&mut ours, false);
    ours == reference
}

/// Applies `change` to every element, children first.
fn each_element(nodes: &mut [Node], change: &mut dyn FnMut(&mut Node)) {
    for node in nodes {
        if let Node::Element { children, .. } = node {
            each_element(children, change);
        }
        change(node);
    }
}

/// `div.table-wrap > table` back to `table`, and `class="align-left"` to the `style` it replaced.
fn unwrap_tables(nodes: &mut Vec<Node>) {
    let mut out = Vec::with_capacity(nodes.len());
    for mut node in nodes.drain(..) {
        if let Node::Element { children, .. } = &mut node {
            unwrap_tables(children);
        }
        match node {
            Node::Element {
                name,
                attributes,
                children,
            } if name == "div" && attributes.get("class").is_some_and(|c| c == "table-wrap") => out.extend(children),
            other => out.push(other),
        }
    }
    *nodes = out;
    align_cells(nodes);
}

/// A cell's alignment, however written (`class="align-left"`, `style="text-align: left"`,
/// `align="left"`), as `align="left"`.
fn align_cells(nodes: &mut [Node]) {
    each_element(nodes, &mut |node| {
        let Node::Element { name, attributes, .. } = node else {
            return;
        };
        if name != "th" && name != "td" {
            return;
        }
        let class = attributes.get("class").and_then(|c| c.strip_prefix("align-"));
        let style = attributes.get("style").and_then(|s| s.strip_prefix("text-align: "));
        if let Some(align) = class.or(style).map(str::to_string) {
            attributes.remove("class");
            attributes.remove("style");
            attributes.insert("align".to_string(), align);
        }
    });
}

/// A heading without the id Signpost gives it and its link to itself (` <a class="heading-anchor">`).
fn plain_headings(nodes: &mut [Node]) {
    each_element(nodes, &mut |node| {
        let Node::Element {
            name,
            attributes,
            children,
        } = node
        else {
            return;
        };
        if !matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            return;
        }
        attributes.remove("id");
        if children
            .last()
            .is_some_and(|c| c.attribute("class") == Some("heading-anchor"))
        {
            children.pop();
            if let Some(Node::Text(text)) = children.last_mut() {
                text.truncate(text.trim_end().len());
            }
        }
    });
}

/// A code block as its language and text only: `<pre lang="rust">text</pre>`.
fn plain_code(nodes: &mut [Node]) {
    each_element(nodes, &mut |node| {
        let Node::Element {
            name,
            attributes,
            children,
        } = node
        else {
            return;
        };
        if name != "pre" {
            return;
        }
        // The reference names the language on `<code class="language-x">`, Signpost on
        // `<pre data-lang="x">`.
        let from_code = children
            .iter()
            .find_map(|c| c.attribute("class"))
            .and_then(|c| c.strip_prefix("language-"));
        let language = attributes
            .get("data-lang")
            .map(String::as_str)
            .or(from_code)
            .unwrap_or("");
        let mut plain = std::collections::BTreeMap::new();
        if !language.is_empty() {
            plain.insert("lang".to_string(), language.to_string());
        }
        let text: String = children.iter().map(Node::text).collect();
        *attributes = plain;
        *children = vec![Node::Text(text)];
    });
}

/// Each placeholder href or src (`@link:N`) back to the reference's destination, when that
/// destination names what the placeholder's link does.
fn restore_site_links(ours: &mut [Node], reference: &[Node], links: &[InternalLink]) {
    for (node, theirs) in ours.iter_mut().zip(reference) {
        let (
            Node::Element {
                name,
                attributes,
                children,
            },
            Node::Element {
                name: their_name,
                attributes: their_attributes,
                children: their_children,
            },
        ) = (node, theirs)
        else {
            continue;
        };
        if name != their_name {
            continue;
        }
        for key in ["href", "src"] {
            let (Some(value), Some(their_value)) = (attributes.get_mut(key), their_attributes.get(key)) else {
                continue;
            };
            let link = value
                .strip_prefix(LINK_PLACEHOLDER)
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| links.get(n));
            if link.is_some_and(|link| classify(their_value, "") == destination(link)) {
                *value = their_value.clone();
            }
        }
        restore_site_links(children, their_children, links);
    }
}

/// The destination an internal link was classified as.
fn destination(link: &InternalLink) -> Destination {
    let fragment = link.fragment.clone();
    match &link.kind {
        LinkKind::Content => Destination::Content {
            key: link.target.clone(),
            fragment,
        },
        LinkKind::SitePath { query } => Destination::SitePath {
            path: link.target.clone(),
            query: query.clone(),
            fragment,
        },
        LinkKind::SamePage => Destination::SamePage {
            fragment: fragment.unwrap_or_default(),
        },
    }
}
