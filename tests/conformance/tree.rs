//! HTML read by html5ever's tokenizer into a small tree, normalised so that two renderings of
//! the same document compare equal: character references decoded, attributes sorted, `<br>`
//! and `<br />` alike, whitespace between tags (outside `<pre>`) dropped and at
//! the edges of text made one space.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element {
        name: String,
        attributes: BTreeMap<String, String>,
        children: Vec<Node>,
    },
    Text(String),
    Comment(String),
    Doctype(String),
}

impl Node {
    pub fn attribute(&self, key: &str) -> Option<&str> {
        match self {
            Node::Element { attributes, .. } => attributes.get(key).map(String::as_str),
            _ => None,
        }
    }

    /// The text inside, tags left out.
    pub fn text(&self) -> String {
        match self {
            Node::Text(text) => text.clone(),
            Node::Element { children, .. } => children.iter().map(Node::text).collect(),
            Node::Comment(_) | Node::Doctype(_) => String::new(),
        }
    }
}

const VOID: [&str; 13] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
];

/// Elements whose whitespace is content.
const KEEPS_SPACE: [&str; 4] = ["pre", "textarea", "script", "style"];

/// The normalised tree of an HTML fragment.
pub fn parse(html: &str) -> Vec<Node> {
    let builder = Builder::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tokenizer = Tokenizer::new(builder, Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut open = tokenizer.sink.open.take();
    while open.len() > 1 {
        close_top(&mut open);
    }
    let mut nodes = open.pop().map(|(_, _, children)| children).unwrap_or_default();
    normalise(&mut nodes, false);
    nodes
}

/// Merges neighbouring text and drops whitespace-only text outside `<pre>`, recursively.
pub fn normalise(nodes: &mut Vec<Node>, keep_space: bool) {
    let mut merged: Vec<Node> = Vec::with_capacity(nodes.len());
    for mut node in nodes.drain(..) {
        if let Node::Element { name, children, .. } = &mut node {
            normalise(children, keep_space || KEEPS_SPACE.contains(&name.as_str()));
        }
        match (merged.last_mut(), node) {
            (Some(Node::Text(before)), Node::Text(text)) => before.push_str(&text),
            (_, node) => merged.push(node),
        }
    }
    if !keep_space {
        merged.retain(|node| !matches!(node, Node::Text(text) if text.trim().is_empty()));
        // A browser shows a run of spaces and newlines as one space: `<input>\nfoo` is `<input> foo`.
        for node in &mut merged {
            if let Node::Text(text) = node {
                *text = collapse_edges(text);
            }
        }
    }
    *nodes = merged;
}

/// `text` with the whitespace at each end, if any, as one space.
fn collapse_edges(text: &str) -> String {
    let inner = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let before = if text.starts_with(|c: char| c.is_ascii_whitespace()) {
        " "
    } else {
        ""
    };
    let after = if text.ends_with(|c: char| c.is_ascii_whitespace()) {
        " "
    } else {
        ""
    };
    format!("{before}{inner}{after}")
}

/// The open elements, the document itself first: name, attributes, children so far.
type Open = Vec<(String, BTreeMap<String, String>, Vec<Node>)>;

#[derive(Default)]
struct Builder {
    open: RefCell<Open>,
}

fn close_top(open: &mut Open) {
    if let Some((name, attributes, children)) = open.pop()
        && let Some(parent) = open.last_mut()
    {
        parent.2.push(Node::Element {
            name,
            attributes,
            children,
        });
    }
}

impl TokenSink for Builder {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut open = self.open.borrow_mut();
        if open.is_empty() {
            open.push((String::new(), BTreeMap::new(), Vec::new()));
        }
        let push = |open: &mut Open, node: Node| {
            if let Some(top) = open.last_mut() {
                top.2.push(node);
            }
        };
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if tag.kind == TagKind::StartTag {
                    let attributes = tag
                        .attrs
                        .iter()
                        .map(|a| (a.name.local.to_string(), a.value.to_string()))
                        .collect();
                    open.push((name.clone(), attributes, Vec::new()));
                    if tag.self_closing || VOID.contains(&name.as_str()) {
                        close_top(&mut open);
                    }
                } else if let Some(at) = open.iter().skip(1).rposition(|(n, _, _)| *n == name) {
                    // An end tag closes its element and whatever is still open inside it; a
                    // stray one (`</p>` with no `<p>`, `</br>`) is dropped.
                    while open.len() > at + 1 {
                        close_top(&mut open);
                    }
                }
            }
            Token::CharacterTokens(text) => push(&mut open, Node::Text(text.to_string())),
            Token::NullCharacterToken => push(&mut open, Node::Text("\0".to_string())),
            Token::CommentToken(text) => push(&mut open, Node::Comment(text.to_string())),
            Token::DoctypeToken(doctype) => {
                let name = doctype.name.map(|n| n.to_string()).unwrap_or_default();
                push(&mut open, Node::Doctype(name));
            }
            Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// Shown in a failure: the normalised tree, one tag a line.
pub struct Show<'a>(pub &'a [Node]);

impl fmt::Display for Show<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for node in self.0 {
            match node {
                Node::Element {
                    name,
                    attributes,
                    children,
                } => {
                    write!(f, "<{name}")?;
                    for (key, value) in attributes {
                        write!(f, " {key}={value:?}")?;
                    }
                    write!(f, ">{}</{name}>", Show(children))?;
                }
                Node::Text(text) => write!(f, "{text:?}")?,
                Node::Comment(text) => write!(f, "<!--{text}-->")?,
                Node::Doctype(name) => write!(f, "<!DOCTYPE {name}>")?,
            }
        }
        Ok(())
    }
}
