//! Reading requests: the request line and headers parsed by `httparse`, and any body read and
//! dropped (GET and HEAD need none, but a body left unread would be taken for the next
//! request), all within one deadline per request.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use httparse::Status;

/// The longest a request's line and headers may be: far more than browsers send, but cookies
/// that other projects' servers set on `localhost` are sent here too.
const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
/// The longest body read and dropped; a longer one is refused.
const MAX_BODY: u64 = 1024 * 1024;
/// How long a whole request may take to arrive, counted from when the server starts waiting
/// for it: bytes trickling in do not extend it.
pub const DEADLINE: Duration = Duration::from_secs(10);

pub struct Request {
    pub method: String,
    pub target: String,
    /// HTTP/1.1, rather than 1.0.
    pub http11: bool,
    pub host: Option<String>,
    /// The client asked to close the connection after this response.
    pub close: bool,
}

/// Why no request was read.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// The client closed the connection, or left it idle past the deadline: nothing to answer.
    Closed,
    /// Answer with this status and close the connection.
    Status(u16),
}

/// A request's line and headers, parsed.
struct Head {
    request: Request,
    body: Body,
    /// The bytes they took.
    used: usize,
}

enum Body {
    None,
    Length(u64),
    Chunked,
}

/// A connection's reading side. Bytes read past one request are kept for the next.
pub struct Reader<'s> {
    stream: &'s TcpStream,
    buffer: Vec<u8>,
    deadline: Instant,
    /// Part of a request has arrived: a deadline passing now is worth a 408.
    started: bool,
}

impl<'s> Reader<'s> {
    pub fn new(stream: &'s TcpStream) -> Reader<'s> {
        Reader {
            stream,
            buffer: Vec::new(),
            deadline: Instant::now(),
            started: false,
        }
    }

    /// Reads the next request, and its body, which is dropped.
    pub fn next_request(&mut self) -> Result<Request, Failure> {
        self.deadline = Instant::now() + DEADLINE;
        self.started = !self.buffer.is_empty();
        let Head { request, body, used } = loop {
            if let Some(head) = parse_head(&self.buffer)? {
                break head;
            }
            if self.buffer.len() > MAX_HEAD {
                return Err(Failure::Status(431));
            }
            self.fill()?;
        };
        self.buffer.drain(..used);
        match body {
            Body::None => {}
            Body::Length(length) if length > MAX_BODY => return Err(Failure::Status(413)),
            Body::Length(length) => self.discard(length)?,
            Body::Chunked => self.discard_chunks()?,
        }
        Ok(request)
    }

    /// Reads more bytes, waiting until the deadline at most.
    fn fill(&mut self) -> Result<(), Failure> {
        let mut chunk = [0; 16 * 1024];
        loop {
            // An idle keep-alive connection is closed quietly; a request cut short is told why.
            let expired = match self.started {
                true => Failure::Status(408),
                false => Failure::Closed,
            };
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(expired);
            }
            self.stream.set_read_timeout(Some(left)).map_err(|_| Failure::Closed)?;
            let mut stream = self.stream;
            match stream.read(&mut chunk) {
                Ok(0) => return Err(Failure::Closed),
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    self.started = true;
                    return Ok(());
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return Err(expired),
                Err(_) => return Err(Failure::Closed),
            }
        }
    }

    /// Drops the next `length` bytes.
    fn discard(&mut self, mut length: u64) -> Result<(), Failure> {
        loop {
            let here = self.buffer.len().min(usize::try_from(length).unwrap_or(usize::MAX));
            self.buffer.drain(..here);
            length -= here as u64;
            if length == 0 {
                return Ok(());
            }
            self.fill()?;
        }
    }

    /// Drops a chunked body: its chunks up to the empty one, then its trailer fields.
    fn discard_chunks(&mut self) -> Result<(), Failure> {
        let mut total: u64 = 0;
        loop {
            let size = match httparse::parse_chunk_size(&self.buffer) {
                Ok(Status::Complete((used, size))) => {
                    self.buffer.drain(..used);
                    size
                }
                Ok(Status::Partial) if self.buffer.len() < MAX_HEAD => {
                    self.fill()?;
                    continue;
                }
                _ => return Err(Failure::Status(400)),
            };
            total = total.saturating_add(size);
            if total > MAX_BODY {
                return Err(Failure::Status(413));
            }
            if size == 0 {
                return self.discard_trailers();
            }
            self.discard(size)?;
            self.discard_line_end()?;
        }
    }

    fn discard_line_end(&mut self) -> Result<(), Failure> {
        while self.buffer.len() < 2 {
            self.fill()?;
        }
        if !self.buffer.starts_with(b"\r\n") {
            return Err(Failure::Status(400));
        }
        self.buffer.drain(..2);
        Ok(())
    }

    fn discard_trailers(&mut self) -> Result<(), Failure> {
        loop {
            let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let parsed = match httparse::parse_headers(&self.buffer, &mut fields) {
                Ok(Status::Complete((used, _))) => Ok(Some(used)),
                Ok(Status::Partial) => Ok(None),
                Err(_) => Err(()),
            };
            match parsed {
                Ok(Some(used)) => {
                    self.buffer.drain(..used);
                    return Ok(());
                }
                Ok(None) if self.buffer.len() < MAX_HEAD => self.fill()?,
                _ => return Err(Failure::Status(400)),
            }
        }
    }
}

/// The request whose line and headers start `buffer`; `None` until they have all arrived.
fn parse_head(buffer: &[u8]) -> Result<Option<Head>, Failure> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut fields);
    let used = match parsed.parse(buffer) {
        Ok(Status::Complete(used)) => used,
        Ok(Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Failure::Status(431)),
        Err(httparse::Error::Version) => return Err(Failure::Status(505)),
        // Bytes that are not a token, or a target that is not UTF-8, among others.
        Err(_) => return Err(Failure::Status(400)),
    };
    let (request, body) = read_fields(&parsed)?;
    Ok(Some(Head { request, body, used }))
}

/// The request's method, target, Host and connection options, and how long its body is.
fn read_fields(parsed: &httparse::Request<'_, '_>) -> Result<(Request, Body), Failure> {
    let bad = Failure::Status(400);
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version) else {
        return Err(bad);
    };
    let http11 = version == 1;
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        http11,
        host: None,
        close: !http11,
    };
    let mut length: Option<u64> = None;
    let mut coded = None;
    for field in parsed.headers.iter() {
        let value = std::str::from_utf8(field.value)
            .map(str::trim)
            .map_err(|_| Failure::Status(400));
        let name = field.name;
        if name.eq_ignore_ascii_case("host") {
            // Two Host fields could each be read as the one that counts.
            if request.host.replace(value?.to_string()).is_some() {
                return Err(bad);
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for option in value?.split(',').map(str::trim) {
                if option.eq_ignore_ascii_case("close") {
                    request.close = true;
                } else if option.eq_ignore_ascii_case("keep-alive") && !http11 {
                    request.close = false;
                }
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            let value = value?;
            let n = match value.bytes().all(|b| b.is_ascii_digit()) {
                true => value.parse::<u64>().map_err(|_| Failure::Status(400))?,
                false => return Err(bad),
            };
            if length.replace(n).is_some_and(|before| before != n) {
                return Err(bad);
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // The last coding named is the one that frames the body.
            coded = value?.rsplit(',').next().map(str::trim).map(str::to_ascii_lowercase);
        }
    }
    let body = match (coded.as_deref(), length) {
        (None, None | Some(0)) => Body::None,
        (None, Some(n)) => Body::Length(n),
        // A body framed two ways is read one way by one server and the other way by another.
        (Some("chunked"), None) if http11 => Body::Chunked,
        _ => return Err(bad),
    };
    Ok((request, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Option<Head>, Failure> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn heads_are_complete_only_at_their_blank_line() {
        assert!(matches!(head("GET / HTTP/1.1\r\nHost: a\r\n"), Ok(None)));
        let Ok(Some(Head {
            request,
            body: Body::None,
            used,
        })) = head("GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET")
        else {
            panic!("a complete head");
        };
        assert_eq!(
            (request.target.as_str(), request.host.as_deref(), used),
            ("/x", Some("a"), 28)
        );
        assert!(!request.close);
    }

    #[test]
    fn bodies_are_framed_one_way_only() {
        let framed = |fields: &str| head(&format!("GET / HTTP/1.1\r\n{fields}\r\n")).map(|r| r.map(|h| h.body));
        assert!(matches!(framed("Content-Length: 5\r\n"), Ok(Some(Body::Length(5)))));
        assert!(matches!(
            framed("Transfer-Encoding: gzip, chunked\r\n"),
            Ok(Some(Body::Chunked))
        ));
        for bad in [
            "Content-Length: +5\r\n",
            "Content-Length: 5\r\nContent-Length: 6\r\n",
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "Transfer-Encoding: chunked, gzip\r\n",
            "Host: a\r\nHost: b\r\n",
        ] {
            assert_eq!(framed(bad).err(), Some(Failure::Status(400)), "{bad:?}");
        }
    }

    #[test]
    fn versions_and_connection_options() {
        let close = |text: &str| head(text).ok().flatten().map(|h| h.request.close);
        assert_eq!(close("GET / HTTP/1.0\r\n\r\n"), Some(true));
        assert_eq!(close("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), Some(false));
        assert_eq!(
            close("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n"),
            Some(true)
        );
        assert_eq!(head("GET / HTTP/2.0\r\n\r\n").err(), Some(Failure::Status(505)));
        assert_eq!(
            parse_head(b"GET /\xff HTTP/1.1\r\n\r\n").err(),
            Some(Failure::Status(400))
        );
    }
}
