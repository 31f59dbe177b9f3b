//! `inkling-collector`: serves the demo site and the npm package on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;

use inkling_collector::{app, ServeConfig};

fn usage() -> ! {
    eprintln!(
        "usage: inkling-collector [--port PORT] [--www DIR] [--pkg DIR]\n\
         PORT may also come from the PORT environment variable (default 8080)."
    );
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let mut port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut config = ServeConfig { www: root.join("www"), pkg: root.join("pkg") };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage()),
            "--www" => config.www = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--pkg" => config.pkg = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            other => {
                eprintln!("unknown argument: {other}");
                usage()
            }
        }
    }
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            std::process::exit(1)
        }
    };
    println!("Inkling demo and collector: http://{}/", listener.local_addr().unwrap());
    axum::serve(listener, app(config)).await.expect("server error");
}
