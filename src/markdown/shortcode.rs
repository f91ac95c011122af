//! Shortcode calls found in markdown: `{{ name(key=value, …) }}` and
//! `{% name(key=value, …) %}body{% end %}`, outside code spans and fenced code.
//!
//! Each call is replaced in the text by a token of the same length, so that every other byte
//! keeps its offset (and an error its line and column); the renderer puts the call's HTML where
//! the token comes out.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};
use tera::Value;

/// An argument: its name, its value, and the offset of its name.
pub type Argument = (String, Value, usize);

/// One call, with offsets into the markdown it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    /// Arguments in the order written, each with the offset of its name.
    pub args: Vec<Argument>,
    /// The whole call, `{% end %}` included.
    pub range: Range<usize>,
    /// The markdown between `%}` and `{% end %}`.
    pub body: Option<Range<usize>>,
    /// Nothing but whitespace, quote and list markers share its first line and last line.
    pub alone_on_line: bool,
}

/// A problem found at an offset, with what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// The calls in `text`, and the text with each replaced by its token; None when it has none.
#[derive(Debug)]
pub struct Scan {
    pub calls: Vec<Call>,
    pub text: String,
    /// Call `i` is `tokens[i]` in `text`.
    pub tokens: Vec<String>,
}

/// Finds the calls in one piece of markdown.
pub fn scan(text: &str, options: Options) -> Result<Option<Scan>, Vec<SyntaxError>> {
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"{{").is_none() && memchr::memmem::find(bytes, b"{%").is_none() {
        return Ok(None);
    }
    let code = code_ranges(text, options);
    let mut scanner = Scanner {
        text,
        code: &code,
        errors: Vec::new(),
        unclosed: false,
    };
    let mut calls = Vec::new();
    let mut at = 0;
    while let Some(found) = scanner.next_opening(at).filter(|_| !scanner.unclosed) {
        match scanner.call_at(found) {
            Some(call) => {
                at = call.range.end;
                calls.push(call);
            }
            None => at = found + 2,
        }
    }
    if !scanner.errors.is_empty() {
        return Err(scanner.errors);
    }
    if calls.is_empty() {
        return Ok(None);
    }
    let prefix = token_prefix(text);
    let mut rewritten = String::with_capacity(text.len());
    let mut tokens = Vec::with_capacity(calls.len());
    let mut done = 0;
    for (i, call) in calls.iter().enumerate() {
        let head = format!("{prefix}{i}");
        let length = call.range.len();
        if head.len() + 1 > length {
            return Err(vec![SyntaxError {
                offset: call.range.start,
                message: "too many shortcodes on one page".to_string(),
                hint: "split the page".to_string(),
            }]);
        }
        let token = format!("{head}{}", "z".repeat(length - head.len()));
        rewritten.push_str(&text[done..call.range.start]);
        rewritten.push_str(&token);
        tokens.push(token);
        done = call.range.end;
    }
    rewritten.push_str(&text[done..]);
    Ok(Some(Scan {
        calls,
        text: rewritten,
        tokens,
    }))
}

/// Letters that appear nowhere in the text, so a token can never be mistaken for prose.
fn token_prefix(text: &str) -> String {
    const FIRST: &[u8] = b"ZQXJVK";
    const SECOND: &[u8] = b"qjxzvk";
    for &a in FIRST {
        for &b in SECOND {
            for c in [None, Some('Q'), Some('J')] {
                let mut prefix = format!("{}{}", a as char, b as char);
                prefix.extend(c);
                if !text.contains(&prefix) {
                    return prefix;
                }
            }
        }
    }
    // Every one of 108 rare pairs is in the text: "Zq" and one more 'Q' than the longest run
    // of them after any "Zq" cannot be there. Found in one pass, so hostile text cannot make
    // this quadratic.
    let longest = text
        .match_indices("Zq")
        .map(|(at, _)| text[at + 2..].bytes().take_while(|&b| b == b'Q').count())
        .max()
        .unwrap_or(0);
    format!("Zq{}", "Q".repeat(longest + 1))
}

/// Byte ranges of code spans and code blocks, where shortcode syntax is text.
fn code_ranges(text: &str, options: Options) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Parser::new_ext(text, options)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect();
    ranges.sort_by_key(|r| r.start);
    ranges
}

struct Scanner<'a> {
    text: &'a str,
    code: &'a [Range<usize>],
    errors: Vec<SyntaxError>,
    /// A body without its `{% end %}` was found: scanning stops there.
    unclosed: bool,
}

impl Scanner<'_> {
    fn in_code(&self, at: usize) -> bool {
        let i = self.code.partition_point(|r| r.start <= at);
        i > 0 && self.code[i - 1].contains(&at)
    }

    /// The next `{{` or `{%` from `at` that is not in code.
    fn next_opening(&self, mut at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        while let Some(i) = memchr::memchr(b'{', &bytes[at..]) {
            let found = at + i;
            if matches!(bytes.get(found + 1), Some(b'{' | b'%')) && !self.in_code(found) {
                return Some(found);
            }
            at = found + 1;
        }
        None
    }

    fn error(&mut self, offset: usize, message: impl Into<String>, hint: impl Into<String>) {
        self.errors.push(SyntaxError {
            offset,
            message: message.into(),
            hint: hint.into(),
        });
    }

    /// The call opening at `start`, or None when the braces are not a call (plain text, or an
    /// error already reported).
    fn call_at(&mut self, start: usize) -> Option<Call> {
        let with_body = self.text.as_bytes()[start + 1] == b'%';
        let close = if with_body { "%}" } else { "}}" };
        let mut p = Cursor {
            text: self.text,
            at: start + 2,
        };
        p.skip_space();
        let name_at = p.at;
        let name = p.identifier()?;
        p.skip_space();
        if with_body && name == "end" && p.eat(close) {
            self.error(
                start,
                "`{% end %}` without a shortcode to end",
                "a body shortcode opens with `{% name() %}`",
            );
            return None;
        }
        if !p.eat("(") {
            return None;
        }
        let args = match p.arguments() {
            Ok(args) => args,
            Err((offset, message)) => {
                self.error(
                    offset,
                    message,
                    "arguments are written name=\"text\", name=12 or name=true, separated by commas",
                );
                return None;
            }
        };
        p.skip_space();
        if !p.eat(close) {
            self.error(
                p.at,
                format!("expected `{close}` to close the call of `{name}`"),
                format!("write it as `{}`", example(&name, with_body)),
            );
            return None;
        }
        let opened_end = p.at;
        let (body, end) = match with_body {
            false => (None, opened_end),
            true => match self.matching_end(opened_end) {
                Some((end_start, end)) => (Some(opened_end..end_start), end),
                None => {
                    self.error(
                        name_at,
                        format!("`{{% {name}(…) %}}` has no `{{% end %}}`"),
                        "close the body with `{% end %}`",
                    );
                    // Every later opening would search to the end of the text again: one
                    // unclosed body is reported, and the rest of the text is not scanned.
                    self.unclosed = true;
                    return None;
                }
            },
        };
        Some(Call {
            alone_on_line: self.alone(start, end),
            name,
            args,
            range: start..end,
            body,
        })
    }

    /// The `{% end %}` closing a body that starts at `from`: its start and end.
    fn matching_end(&self, from: usize) -> Option<(usize, usize)> {
        let mut depth = 0usize;
        let mut at = from;
        while let Some(found) = self.next_opening(at) {
            at = found + 2;
            if self.text.as_bytes()[found + 1] != b'%' {
                continue;
            }
            let mut p = Cursor {
                text: self.text,
                at: found + 2,
            };
            p.skip_space();
            let Some(name) = p.identifier() else { continue };
            p.skip_space();
            if name == "end" && p.eat("%}") {
                if depth == 0 {
                    return Some((found, p.at));
                }
                depth -= 1;
            } else if p.eat("(") {
                depth += 1;
            }
        }
        None
    }

    fn alone(&self, start: usize, end: usize) -> bool {
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[end..].find('\n').map_or(self.text.len(), |i| end + i);
        let before_is_markers = self.text[line_start..start]
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '>' | '-' | '*' | '+' | '.' | ')') || c.is_ascii_digit());
        before_is_markers && self.text[end..line_end].trim().is_empty()
    }
}

fn example(name: &str, with_body: bool) -> String {
    match with_body {
        true => format!("{{% {name}() %}}…{{% end %}}"),
        false => format!("{{{{ {name}() }}}}"),
    }
}

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.at += s.len();
        }
        found
    }

    fn identifier(&mut self) -> Option<String> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 || rest.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        self.at += len;
        Some(rest[..len].to_string())
    }

    /// `name=value, …` up to and including the closing parenthesis.
    fn arguments(&mut self) -> Result<Vec<Argument>, (usize, String)> {
        let mut args: Vec<Argument> = Vec::new();
        loop {
            self.skip_space();
            if self.eat(")") {
                return Ok(args);
            }
            let name_at = self.at;
            let name = self
                .identifier()
                .ok_or_else(|| (self.at, "expected an argument name or `)`".to_string()))?;
            if args.iter().any(|(n, _, _)| *n == name) {
                return Err((name_at, format!("argument `{name}` is given twice")));
            }
            self.skip_space();
            if !self.eat("=") {
                return Err((self.at, format!("expected `=` after the argument name `{name}`")));
            }
            self.skip_space();
            let value = self.value()?;
            args.push((name, value, name_at));
            self.skip_space();
            if !self.eat(",") {
                self.skip_space();
                if self.eat(")") {
                    return Ok(args);
                }
                return Err((self.at, "expected `,` or `)` after an argument".to_string()));
            }
        }
    }

    fn value(&mut self) -> Result<Value, (usize, String)> {
        let start = self.at;
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            return self.string(quote);
        }
        for (word, value) in [("true", true), ("false", false)] {
            if self.eat(word) {
                return Ok(Value::from(value));
            }
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '.' | '+' | 'e' | 'E')))
            .unwrap_or(rest.len());
        let number = &rest[..len];
        if let Ok(n) = number.parse::<i64>() {
            self.at += len;
            return Ok(Value::from(n));
        }
        if let Ok(n) = number.parse::<f64>()
            && n.is_finite()
        {
            self.at += len;
            return Ok(Value::from(n));
        }
        let curly = rest.starts_with(['“', '‘']);
        Err((
            start,
            match curly {
                true => "a text argument needs straight quotes (\"), not curly ones".to_string(),
                false => "expected a value: text in quotes, a number, true or false".to_string(),
            },
        ))
    }

    fn string(&mut self, quote: char) -> Result<Value, (usize, String)> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.at += i + 1;
                    return Ok(Value::from(out));
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, c)) => out.push(c),
                    None => break,
                },
                '\n' => break,
                c => out.push(c),
            }
        }
        Err((start, format!("this text argument has no closing {quote}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_prefix_is_found_even_when_every_short_one_is_taken() {
        let mut text = String::new();
        for a in "ZQXJVK".chars() {
            for b in "qjxzvk".chars() {
                text.extend([a, b, 'Q', ' ', a, b, 'J', ' ']);
            }
        }
        text.push_str(&format!("Zq{} ZqQ", "Q".repeat(10_000)));
        let prefix = token_prefix(&text);
        assert_eq!(prefix.len(), 10_003);
        assert!(!text.contains(&prefix));
    }

    fn calls(text: &str) -> Vec<Call> {
        scan(text, Options::empty())
            .expect("no errors")
            .map(|s| s.calls)
            .unwrap_or_default()
    }

    #[test]
    fn arguments_are_typed() {
        let found = calls("{{ box(title=\"A \\\"b\\\"\", n=3, ratio=-1.5, open=true, other='x') }}\n");
        assert_eq!(found.len(), 1);
        let args: Vec<(&str, &Value)> = found[0].args.iter().map(|(n, v, _)| (n.as_str(), v)).collect();
        assert_eq!(args[0], ("title", &Value::from("A \"b\"")));
        assert_eq!(args[1], ("n", &Value::from(3i64)));
        assert_eq!(args[2], ("ratio", &Value::from(-1.5f64)));
        assert_eq!(args[3], ("open", &Value::from(true)));
        assert_eq!(args[4], ("other", &Value::from("x")));
        assert!(found[0].alone_on_line);
    }

    #[test]
    fn bodies_nest_and_calls_in_code_are_text() {
        let text =
            "Use `{{ x() }}` here.\n\n```\n{% y() %}\n```\n\n{% outer() %}\na {% inner() %}b{% end %}\n{% end %}\n";
        let found = calls(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].name, "outer");
        let body = found[0].body.clone().expect("a body");
        assert_eq!(&text[body], "\na {% inner() %}b{% end %}\n");
    }

    #[test]
    fn tokens_keep_every_offset() {
        let text = "One {{ a() }} two\n{{ snippet(id=\"x\") }}\n";
        let scan = scan(text, Options::empty()).expect("ok").expect("calls");
        assert_eq!(scan.text.len(), text.len());
        assert_eq!(scan.text.find("two"), text.find("two"));
        assert!(scan.text.contains(&scan.tokens[1]));
        assert!(!scan.calls[0].alone_on_line && scan.calls[1].alone_on_line);
    }

    #[test]
    fn braces_that_are_not_calls_stay_text() {
        assert!(calls("{{ page.title }} and {% raw %} and {x}\n").is_empty());
    }

    #[test]
    fn malformed_calls_are_errors_at_their_place() {
        for (text, offset) in [
            ("{{ a(b=) }}", 7),
            ("{{ a(b=1 }}", 9),
            ("{{ a(b=“x”) }}", 7),
            ("x {% a() %} never ended", 5),
            ("{% end %}", 0),
            ("{{ a(b=1) }", 10),
        ] {
            let errors = scan(text, Options::empty()).expect_err(text);
            assert_eq!(errors[0].offset, offset, "{text}: {errors:?}");
        }
    }
}
