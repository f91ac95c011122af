//! The live-reload event stream (Server-Sent Events) and the clients listening to it.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Mutex;

/// The headers of the event stream, and a first comment that tells the client it is connected.
pub const STREAM_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
const CONNECTED: &str = ": connected\n\n";

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

    /// Starts the event stream on a connection; `error` is the build error, if the build is
    /// broken, which a tab opened now shows at once.
    pub fn subscribe(&self, mut stream: TcpStream, error: Option<String>) {
        if stream
            .write_all(format!("{STREAM_HEAD}{CONNECTED}").as_bytes())
            .is_err()
        {
            return;
        }
        if let Ok(mut streams) = self.streams.lock() {
            streams.push(stream);
        }
        if let Some(error) = error {
            self.send("build-error", &error);
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
}
