//! `inkling-collector`: ingests private reports, releases crowd-sized
//! aggregates, and serves the demo site and the npm package.

use std::net::SocketAddr;
use std::path::PathBuf;

use inkling_collector::Config;

fn usage() -> ! {
    eprintln!(
        "usage: inkling-collector [--config FILE] [--port PORT] [--www DIR] [--pkg DIR] [--database-url URL]\n\
         Without --config every setting has its default (see collector.toml).\n\
         PORT may also come from the PORT environment variable (default 8080);\n\
         the database URL from INKLING_DATABASE_URL."
    );
    std::process::exit(2)
}

fn fail(message: &str) -> ! {
    eprintln!("inkling-collector: {message}");
    std::process::exit(1)
}

#[tokio::main]
async fn main() {
    let mut config_file: Option<PathBuf> = None;
    let mut port: Option<u16> = std::env::var("PORT").ok().and_then(|p| p.parse().ok());
    let mut www: Option<PathBuf> = None;
    let mut pkg: Option<PathBuf> = None;
    let mut database_url: Option<String> = std::env::var("INKLING_DATABASE_URL").ok();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--config" => config_file = Some(PathBuf::from(value())),
            "--port" => port = Some(value().parse().unwrap_or_else(|_| usage())),
            "--www" => www = Some(PathBuf::from(value())),
            "--pkg" => pkg = Some(PathBuf::from(value())),
            "--database-url" => database_url = Some(value()),
            "-h" | "--help" => usage(),
            other => {
                eprintln!("unknown argument: {other}");
                usage()
            }
        }
    }
    let mut config = match &config_file {
        Some(path) => Config::from_file(path).unwrap_or_else(|e| fail(&e)),
        None => {
            // No file: the defaults, with paths anchored at the repository.
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
            Config {
                www: root.join("www"),
                pkg: root.join("pkg"),
                database_url: format!(
                    "sqlite:{}",
                    root.join("collector/data/inkling.sqlite").display()
                ),
                ..Config::default()
            }
        }
    };
    if let Some(w) = www {
        config.www = w;
    }
    if let Some(p) = pkg {
        config.pkg = p;
    }
    if let Some(url) = database_url {
        config.database_url = url;
    }
    let mut addr: SocketAddr = config
        .listen
        .parse()
        .unwrap_or_else(|_| fail("listen must be an address like 127.0.0.1:8080"));
    if let Some(p) = port {
        addr.set_port(p);
    }
    let state = inkling_collector::build(config)
        .await
        .unwrap_or_else(|e| fail(&e));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .unwrap_or_else(|e| fail(&format!("cannot listen on {addr}: {e}")));
    let local = listener.local_addr().unwrap_or(addr);
    println!("Inkling demo and collector: http://{local}/ (dashboard: http://{local}/dashboard)");
    if let Err(e) = inkling_collector::serve(state, listener).await {
        fail(&e)
    }
}
