//! Connections that never finish, never start, or never leave.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::Check;
use crate::http;
use crate::server::Server;

/// How long a connection stays open before the server closes it (`None`: still open at
/// `limit`).
fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionReset) => {
                return Some(started.elapsed());
            }
            Err(_) => return None,
        }
        if started.elapsed() >= limit {
            return None;
        }
    }
}

fn partial_header(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    s
}

/// Floods of idle or half-sent connections under a lowered open-file limit must not lock a
/// real client out.
pub fn flood_checks(bin: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    for (name, half_sent) in [
        (
            "GET /healthz with 300 idle connections open, ulimit -n 256",
            false,
        ),
        (
            "GET /healthz with 300 half-sent headers open, ulimit -n 256",
            true,
        ),
    ] {
        let server = Server::start(bin, "flood", &[], Some(256));
        let flood: Vec<TcpStream> = (0..300)
            .filter_map(|_| {
                let mut s = TcpStream::connect(&server.addr).ok()?;
                if half_sent {
                    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                        .ok()?;
                }
                Some(s)
            })
            .collect();
        let opened = flood.len();
        std::thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        let answer = http::send(&server.addr, "GET", "/healthz", "", "text/plain", b"");
        let took = started.elapsed();
        let ran_out = server.log().contains("Too many open files");
        checks.push(Check::new(
            name,
            answer.status == 200 && took <= Duration::from_secs(2),
            format!(
                "{} in {took:.0?} ({opened} flood sockets; bound 2 s){}",
                answer.status,
                if ran_out {
                    "; the server ran out of files"
                } else {
                    ""
                }
            ),
        ));
    }
    checks
}

/// Slow and stuck sockets, against the default timeouts and the shutdown deadline.
pub fn slow_checks(bin: &str) -> Vec<Check> {
    let bin1 = bin.to_owned();
    let header = std::thread::spawn(move || {
        let server = Server::start(&bin1, "slow-header", &[], None);
        let mut stream = partial_header(&server.addr);
        let closed = closed_within(&mut stream, Duration::from_secs(35));
        Check::new(
            "a partial-header connection is closed by the server",
            closed.is_some_and(|t| t <= Duration::from_secs(30)),
            match closed {
                Some(t) => format!("closed after {t:.1?} (bound 30 s; --header-timeout 20)"),
                None => "still open after 35 s".to_owned(),
            },
        )
    });
    let bin2 = bin.to_owned();
    let shutdown = std::thread::spawn(move || {
        let mut server = Server::start(&bin2, "stuck-shutdown", &[], None);
        let _stuck = partial_header(&server.addr);
        let _idle = TcpStream::connect(&server.addr).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        server.terminate();
        let exited = server.exited_within(Duration::from_secs(35));
        Check::new(
            "SIGTERM with a partial-header and an idle connection open",
            exited.is_some_and(|t| t <= Duration::from_secs(30)),
            match exited {
                Some(t) => format!("exited after {t:.1?} (deadline 30 s)"),
                None => "still running after 35 s".to_owned(),
            },
        )
    });
    let bin3 = bin.to_owned();
    let deadline = std::thread::spawn(move || {
        let mut server = Server::start(&bin3, "deadline", &["--shutdown-timeout", "3"], None);
        // an import that promises 10 MB and trickles: in flight, never finishing
        let mut upload = TcpStream::connect(&server.addr).unwrap();
        let head = format!(
            "POST /api/v1/calls/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/x-ndjson\r\nContent-Length: 10000000\r\n\r\n",
            server.token
        );
        upload.write_all(head.as_bytes()).unwrap();
        upload.write_all(b"{\"direction\":").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        server.terminate();
        let exited = server.exited_within(Duration::from_secs(35));
        Check::new(
            "SIGTERM with an import in flight that never ends, deadline 3 s",
            exited.is_some_and(|t| t <= Duration::from_secs(5)),
            match exited {
                Some(t) => format!("exited after {t:.1?} (bound 5 s)"),
                None => "still running after 35 s".to_owned(),
            },
        )
    });
    [header, shutdown, deadline]
        .into_iter()
        .map(|t| {
            t.join()
                .unwrap_or_else(|_| Check::new("a slow check", false, "its thread panicked"))
        })
        .collect()
}
