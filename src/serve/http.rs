//! A small HTTP/1.1 server for previews: GET and HEAD of the site held in memory, and a
//! Server-Sent Events stream for live reload. No path from a request ever reaches the file
//! system: requests are looked up in the map of built files, so nothing outside the output
//! can be served.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::Snapshot;

/// Where the live-reload client and its event stream live; never part of a built site.
pub const RELOAD_SCRIPT: &str = "/__signpost/livereload.js";
pub const EVENTS: &str = "/__signpost/events";
const SCRIPT: &str = include_str!("livereload.js");

/// The clients listening for reload events.
#[derive(Default)]
pub struct Listeners {
    streams: Mutex<Vec<TcpStream>>,
}

impl Listeners {
    /// Sends one event to every client, dropping those that have gone.
    pub fn send(&self, event: &str, data: &str) {
        let message = event_message(event, data);
        if let Ok(mut streams) = self.streams.lock() {
            streams.retain_mut(|s| s.write_all(message.as_bytes()).and_then(|_| s.flush()).is_ok());
        }
    }

    fn add(&self, stream: TcpStream) {
        if let Ok(mut streams) = self.streams.lock() {
            streams.push(stream);
        }
    }
}

/// One Server-Sent Event. It always has a data line, even an empty one: browsers drop an event
/// without one, so a bare `ok` would never reach the page.
fn event_message(event: &str, data: &str) -> String {
    let mut message = format!("event: {event}\n");
    for line in data.lines().chain(data.is_empty().then_some("")) {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    message.push('\n');
    message
}

/// Accepts connections until the process ends; each is handled on its own thread.
pub fn run(listener: TcpListener, site: Arc<RwLock<Snapshot>>, listeners: Arc<Listeners>) {
    for stream in listener.incoming().flatten() {
        let site = Arc::clone(&site);
        let listeners = Arc::clone(&listeners);
        std::thread::spawn(move || handle(stream, &site, &listeners));
    }
}

struct Request {
    method: String,
    path: String,
    /// The client asked to close the connection after this response.
    close: bool,
}

fn handle(stream: TcpStream, site: &RwLock<Snapshot>, listeners: &Listeners) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut stream = stream;
    // Keep-alive: serve requests until the client closes or a response must close.
    loop {
        let request = match read_request(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(status) => {
                let _ = respond(
                    &mut stream,
                    status,
                    "text/plain; charset=utf-8",
                    status_text(status).as_bytes(),
                    false,
                );
                return;
            }
        };
        if request.method != "GET" && request.method != "HEAD" {
            let _ = respond(
                &mut stream,
                405,
                "text/plain; charset=utf-8",
                b"Method not allowed",
                false,
            );
            return;
        }
        let head_only = request.method == "HEAD";
        let close = request.close;
        let path = match clean_path(&request.path) {
            Some(path) => path,
            None => {
                let _ = respond(&mut stream, 400, "text/plain; charset=utf-8", b"Bad request", head_only);
                return;
            }
        };
        if path == EVENTS {
            let header = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
            if stream.write_all(header.as_bytes()).is_ok() {
                // A tab opened while the build is broken shows the error at once.
                let error = site.read().ok().and_then(|s| s.error().map(str::to_string));
                listeners.add(stream);
                if let Some(error) = error {
                    listeners.send("build-error", &error);
                }
            }
            return;
        }
        if path == RELOAD_SCRIPT {
            if respond(
                &mut stream,
                200,
                "text/javascript; charset=utf-8",
                SCRIPT.as_bytes(),
                head_only,
            )
            .is_err()
                || close
            {
                return;
            }
            continue;
        }
        let response = match site.read() {
            Ok(snapshot) => snapshot.response(&path),
            Err(_) => return,
        };
        if respond(
            &mut stream,
            response.status,
            response.content_type,
            &response.body,
            head_only,
        )
        .is_err()
            || close
        {
            return;
        }
    }
}

/// Reads one request's line and headers; `Ok(None)` when the client closed the connection.
fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, u16> {
    let mut line = String::new();
    match reader.take(8192).read_line(&mut line) {
        Ok(0) => return Ok(None),
        Ok(_) => {}
        Err(_) => return Ok(None),
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    let mut request = Request {
        method: method.to_string(),
        path: path.to_string(),
        close: version == "HTTP/1.0",
    };
    // Only `Connection` matters; a request body is not expected on GET or HEAD.
    let mut total = 0;
    loop {
        let mut header = String::new();
        let n = reader.take(8192).read_line(&mut header).map_err(|_| 400u16)?;
        total += n;
        if n == 0 || header == "\r\n" || header == "\n" {
            break;
        }
        if total > 64 * 1024 {
            return Err(431);
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("connection")
        {
            request.close = value.trim().eq_ignore_ascii_case("close");
        }
    }
    Ok(Some(request))
}

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

fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n",
        status_text(status),
        body.len()
    );
    // One write per response: a header sent on its own waits on the client's delayed
    // acknowledgement (about 40 ms) before the body can follow.
    let mut response = Vec::with_capacity(header.len() + if head_only { 0 } else { body.len() });
    response.extend_from_slice(header.as_bytes());
    if !head_only {
        response.extend_from_slice(body);
    }
    stream.write_all(&response)?;
    stream.flush()
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_a_data_line() {
        assert_eq!(event_message("ok", ""), "event: ok\ndata: \n\n");
        assert_eq!(
            event_message("build-error", "a\n\nb"),
            "event: build-error\ndata: a\ndata: \ndata: b\n\n"
        );
    }

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
