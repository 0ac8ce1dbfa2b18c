//! `factsite serve`: build, then serve the output on a local address.

use super::build::open;
use crate::pipeline;
use anyhow::Context;
use std::path::Path;

pub fn run(root: &Path, interface: &str, port: u16) -> anyhow::Result<i32> {
    let project = open(root, None, None)?;
    let summary = pipeline::build(project)?;
    let dir = summary.output_dir;
    let listener = std::net::TcpListener::bind((interface, port))
        .with_context(|| format!("cannot listen on {interface}:{port}"))?;
    println!("Serving {} on http://{interface}:{port}/ (Ctrl+C to stop)", dir.display());
    for stream in listener.incoming().flatten() {
        let _ = crate::cli::serve::respond(&dir, stream);
    }
    Ok(0)
}

fn respond(dir: &Path, mut stream: std::net::TcpStream) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/").trim_start_matches('/');
    let path = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    let (status, body) = match crate::publish::safe_join(dir, &path).and_then(std::fs::read) {
        Ok(body) => ("200 OK", body),
        Err(_) => ("404 Not Found", b"not found".to_vec()),
    };
    let mime = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}
