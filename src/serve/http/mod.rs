//! A small HTTP/1.1 server for previews: GET and HEAD of the site held in memory, and a
//! Server-Sent Events stream for live reload. No path from a request ever reaches the file
//! system: requests are looked up in the map of built files, so nothing outside the output
//! can be served.
//!
//! Requests are read in `request` (parsed by `httparse`), their Host checked in `host` and
//! their targets in `path`, the event stream's clients kept in `events` and the connections
//! counted in `limit`; this module answers.

mod events;
mod host;
mod limit;
mod path;
mod request;

use std::borrow::Cow;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub use events::Listeners;
use limit::{Refuser, Slots};
pub use path::clean_path;
use request::{Failure, Reader, Request};

use super::Snapshot;

/// Where the live-reload client and its event stream live; never part of a built site.
pub const RELOAD_SCRIPT: &str = "/__signpost/livereload.js";
pub const EVENTS: &str = "/__signpost/events";
const SCRIPT: &str = include_str!("../livereload.js");

/// A response that the client does not take within this time ends its connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// What every connection's thread shares.
struct Server {
    /// The address listened on, for the Host check.
    bound: SocketAddr,
    site: Arc<RwLock<Snapshot>>,
    listeners: Arc<Listeners>,
}

/// Accepts connections on `listener`, bound at `bound`, until the process ends; each is
/// handled on its own thread, up to [`limit::MAX_CONNECTIONS`] at once.
pub fn run(listener: TcpListener, bound: SocketAddr, site: Arc<RwLock<Snapshot>>, listeners: Arc<Listeners>) {
    let server = Arc::new(Server { bound, site, listeners });
    let slots = Slots::default();
    let refuser = Refuser::start();
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of descriptors, say: wait for some to close rather than spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let Some(slot) = slots.take() else {
            refuser.refuse(stream);
            continue;
        };
        let server = Arc::clone(&server);
        // A thread that cannot start drops the connection, and its slot, at once.
        let _ = std::thread::Builder::new().spawn(move || {
            server.handle(stream);
            drop(slot);
        });
    }
}

/// What a connection does after a request.
enum Then {
    KeepAlive,
    Close,
    /// It becomes an event stream.
    Stream,
}

/// One response. No body means a stream, whose length is not known.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Option<Cow<'static, [u8]>>,
    close: bool,
    extra_headers: &'static str,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: impl Into<Cow<'static, [u8]>>) -> Reply {
        Reply {
            status,
            content_type,
            body: Some(body.into()),
            close: false,
            extra_headers: "",
        }
    }

    /// A short plain-text reply for a refused request, after which the connection closes.
    fn refusal(status: u16) -> Reply {
        Reply {
            close: true,
            ..Reply::new(status, "text/plain; charset=utf-8", status_text(status).as_bytes())
        }
    }
}

impl Server {
    /// Serves one connection: requests until the client closes or a response must close.
    fn handle(&self, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let mut reader = Reader::new(&stream);
        let then = loop {
            let then = match reader.next_request() {
                Ok(request) => self.answer(&stream, &request),
                Err(Failure::Closed) => return,
                Err(Failure::Status(status)) => {
                    let _ = send(&stream, &Reply::refusal(status), false);
                    Then::Close
                }
            };
            if !matches!(then, Then::KeepAlive) {
                break then;
            }
        };
        match then {
            Then::Stream => self.listeners.stream_to(&stream),
            _ => close_gently(&stream),
        }
    }

    fn answer(&self, stream: &TcpStream, request: &Request) -> Then {
        let Some(mut reply) = self.reply(request) else {
            return Then::Stream;
        };
        reply.close |= request.close;
        match send(stream, &reply, request.method == "HEAD") {
            Ok(()) if !reply.close => Then::KeepAlive,
            _ => Then::Close,
        }
    }

    /// The reply to a request, or `None` when it subscribes to the event stream.
    fn reply(&self, request: &Request) -> Option<Reply> {
        match &request.host {
            Some(host) if !host::is_ours(host, self.bound) => return Some(Reply::refusal(421)),
            // HTTP/1.0 clients may leave Host out; browsers never do.
            None if request.http11 => return Some(Reply::refusal(400)),
            _ => {}
        }
        if request.method != "GET" && request.method != "HEAD" {
            return Some(Reply {
                extra_headers: "Allow: GET, HEAD\r\n",
                ..Reply::refusal(405)
            });
        }
        let Some(path) = clean_path(&request.target) else {
            return Some(Reply::refusal(400));
        };
        if path == EVENTS {
            // HEAD gets the stream's headers alone, and subscribes nothing.
            return (request.method == "HEAD").then_some(Reply {
                body: None,
                ..Reply::new(200, "text/event-stream", &[][..])
            });
        }
        if path == RELOAD_SCRIPT {
            return Some(Reply::new(200, "text/javascript; charset=utf-8", SCRIPT.as_bytes()));
        }
        let Ok(snapshot) = self.site.read() else {
            return Some(Reply::refusal(500));
        };
        let response = snapshot.response(&path);
        drop(snapshot);
        Some(Reply::new(response.status, response.content_type, response.body))
    }
}

fn send(mut stream: &TcpStream, reply: &Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{}",
        reply.status,
        status_text(reply.status),
        reply.content_type,
        reply.extra_headers,
    );
    if let Some(body) = &reply.body {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    if reply.close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let body = reply.body.as_deref().filter(|_| !head_only).unwrap_or_default();
    // One write per response: a header sent on its own waits on the client's delayed
    // acknowledgement (about 40 ms) before the body can follow.
    let mut response = Vec::with_capacity(head.len() + body.len());
    response.extend_from_slice(head.as_bytes());
    response.extend_from_slice(body);
    stream.write_all(&response)?;
    stream.flush()
}

/// Closes a connection after its last response without losing that response: what the client
/// still sends is read and dropped for a moment first, since closing a socket with unread
/// bytes resets the connection, and a reset can destroy the response before it is read.
fn close_gently(mut stream: &TcpStream) {
    const LINGER: Duration = Duration::from_secs(1);
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let until = Instant::now() + LINGER;
    let mut sink = [0; 4096];
    while let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
        if stream.set_read_timeout(Some(left)).is_err() || !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
            return;
        }
    }
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    }
}

pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}
