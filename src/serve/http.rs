//! The proof's HTTP server. Requests are matched against a fixed list of paths — the page, its
//! script and style (compiled in), page SVGs by content hash (held in memory) and the WebSocket
//! — so no request names a file: `/../issue.toml` and its encodings are simply unknown paths.
//!
//! A page on another site could still reach a server on 127.0.0.1 through a browser, by a DNS
//! name pointed at it or a WebSocket (which no same-origin rule covers). So a server bound to a
//! loopback address answers only requests addressed to a loopback name, and the WebSocket only
//! a page it served itself.

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};
use tungstenite::protocol::Role;

use super::Proof;

/// Threads answering requests; a WebSocket holds none once connected.
const WORKERS: usize = 4;

/// The page's assets: path, content type, content.
const ASSETS: [(&str, &str, &str); 3] = [
    ("/", "text/html; charset=utf-8", include_str!("assets/index.html")),
    ("/proof.js", "text/javascript; charset=utf-8", include_str!("assets/proof.js")),
    ("/proof.css", "text/css; charset=utf-8", include_str!("assets/proof.css")),
];

/// The page's scripts, styles, images and connections come from this server only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Starts serving `proof` on `address` (port 0: any free port) and returns the address bound.
pub fn start(address: SocketAddr, proof: Arc<Proof>) -> std::io::Result<SocketAddr> {
    let server = Server::http(address).map_err(std::io::Error::other)?;
    let bound = server.server_addr().to_ip().ok_or_else(|| std::io::Error::other("not an IP address"))?;
    let server = Arc::new(server);
    let hosts = Hosts { port: bound.port(), loopback_only: bound.ip().is_loopback() };
    for _ in 0..WORKERS {
        let (server, proof) = (server.clone(), proof.clone());
        thread::spawn(move || {
            while let Ok(request) = server.recv() {
                answer(request, &proof, hosts);
            }
        });
    }
    Ok(bound)
}

/// Which `Host` headers requests may carry.
#[derive(Clone, Copy)]
struct Hosts {
    port: u16,
    /// Only loopback names (the server listens on a loopback address).
    loopback_only: bool,
}

impl Hosts {
    fn allow(&self, host: &str) -> bool {
        let name = host.strip_suffix(&format!(":{}", self.port)).unwrap_or("");
        !self.loopback_only || matches!(name, "127.0.0.1" | "localhost" | "[::1]")
    }
}

fn answer(request: Request, proof: &Proof, hosts: Hosts) {
    let path = request.url().split('?').next().unwrap_or_default().to_string();
    let host = header(&request, "Host").unwrap_or_default();
    if !matches!(request.method(), Method::Get | Method::Head) {
        return refuse(request, 405);
    }
    if !hosts.allow(&host) {
        return refuse(request, 403);
    }
    if let Some((_, kind, text)) = ASSETS.iter().find(|(at, ..)| *at == path) {
        let response = Response::from_string(*text)
            .with_header(field("Content-Type", kind))
            .with_header(field("Cache-Control", "no-cache"))
            .with_header(field("Content-Security-Policy", CSP));
        return send(request, response);
    }
    if path == "/live" {
        return upgrade(request, proof, &host);
    }
    let page = path.strip_prefix("/page/").and_then(|p| p.strip_suffix(".svg"));
    match page.and_then(|name| proof.page(name)) {
        Some(gzipped) => send_page(request, &gzipped),
        None => refuse(request, 404),
    }
}

/// A page's SVG: gzipped when the browser takes it (they all do), to be kept for good — a
/// changed page has another name.
fn send_page(request: Request, gzipped: &[u8]) {
    let gzip = header(&request, "Accept-Encoding").is_some_and(|a| a.contains("gzip"));
    let body = if gzip { gzipped.to_vec() } else { super::pages::gunzip(gzipped) };
    let mut response = Response::from_data(body)
        .with_header(field("Content-Type", "image/svg+xml"))
        .with_header(field("Cache-Control", "public, max-age=31536000, immutable"))
        .with_header(field("Vary", "Accept-Encoding"));
    if gzip {
        response = response.with_header(field("Content-Encoding", "gzip"));
    }
    send(request, response);
}

/// Turns the request into the WebSocket on which views are pushed, when it comes from a page
/// this server served.
fn upgrade(request: Request, proof: &Proof, host: &str) {
    let origin_ok = header(&request, "Origin").is_some_and(|o| o == format!("http://{host}"));
    let wants = header(&request, "Upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    let key = header(&request, "Sec-WebSocket-Key");
    let (Some(key), true, true) = (key, origin_ok, wants) else { return refuse(request, 400) };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = Response::empty(101).with_header(field("Sec-WebSocket-Accept", &accept));
    let stream = request.upgrade("websocket", response);
    proof.connect(tungstenite::WebSocket::from_raw_socket(stream, Role::Server, None));
}

fn refuse(request: Request, status: u16) {
    let reason = StatusCode(status).default_reason_phrase();
    send(request, Response::from_string(reason).with_status_code(status));
}

/// Sends a response; a browser that went away meanwhile is no error of ours.
fn send<R: std::io::Read>(request: Request, response: Response<R>) {
    let response = response.with_header(field("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

fn header(request: &Request, name: &'static str) -> Option<String> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_string())
}

fn field(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header names and values are ASCII")
}
