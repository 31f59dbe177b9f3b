//! Reading MovieLens 100k (`u.data`, `u.item`, `u.genre`, `u.info`) from the
//! path given on the command line. Nothing is copied: the licence forbids
//! redistribution, so the files are read at run time and kept in memory only.

use std::fs;
use std::path::Path;

/// One rating, with dense 0-based user and item indices.
#[derive(Clone, Copy, Debug)]
pub struct Rating {
    pub user: usize,
    pub item: usize,
    pub stars: u8,
    pub time_s: i64,
}

/// One movie: its title and genre indices (into `genres`); its MovieLens id is its index + 1.
pub struct Movie {
    pub title: String,
    pub genres: Vec<usize>,
}

/// The whole data set in memory.
pub struct MovieLens {
    pub genres: Vec<String>,
    pub movies: Vec<Movie>,
    pub users: usize,
    pub ratings: Vec<Rating>,
    /// Rows of `u.data` that were skipped, with why (for the printed summary).
    pub skipped: Vec<String>,
}

/// Why the data could not be read at all.
pub enum LoadError {
    /// The directory or one of its files is absent: the caller skips cleanly.
    Missing(String),
    /// A file is there but cannot be understood.
    Malformed(String),
}

fn read(dir: &Path, name: &str) -> Result<String, LoadError> {
    let path = dir.join(name);
    fs::read(&path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|e| LoadError::Missing(format!("{}: {e}", path.display())))
}

/// `u.genre`: `name|index` lines, indices 0..19 in order.
fn parse_genres(text: &str) -> Result<Vec<String>, LoadError> {
    let mut genres: Vec<(usize, String)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (name, ix) = line.rsplit_once('|').ok_or_else(|| {
            LoadError::Malformed(format!("u.genre line {}: expected name|index", n + 1))
        })?;
        let ix: usize = ix
            .trim()
            .parse()
            .map_err(|_| LoadError::Malformed(format!("u.genre line {}: bad index", n + 1)))?;
        genres.push((ix, name.trim().to_string()));
    }
    genres.sort_by_key(|g| g.0);
    if genres.iter().enumerate().any(|(i, g)| g.0 != i) {
        return Err(LoadError::Malformed("u.genre: indices are not 0..n".into()));
    }
    Ok(genres.into_iter().map(|g| g.1).collect())
}

/// `u.item`: `id|title|release|video release|url|` then one 0/1 flag per genre.
fn parse_movies(text: &str, n_genres: usize) -> Result<Vec<Movie>, LoadError> {
    let mut movies = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        if fields.len() != 5 + n_genres {
            return Err(LoadError::Malformed(format!(
                "u.item line {}: {} fields, expected {}",
                n + 1,
                fields.len(),
                5 + n_genres
            )));
        }
        let id: u32 = fields[0]
            .trim()
            .parse()
            .map_err(|_| LoadError::Malformed(format!("u.item line {}: bad movie id", n + 1)))?;
        let genres = fields[5..]
            .iter()
            .enumerate()
            .filter(|(_, f)| f.trim() == "1")
            .map(|(g, _)| g)
            .collect();
        // The README promises ids numbered consecutively from 1; the dense
        // index used everywhere below relies on it.
        if id as usize != movies.len() + 1 {
            return Err(LoadError::Malformed(format!(
                "u.item line {}: movie ids are not 1..n in order",
                n + 1
            )));
        }
        movies.push(Movie {
            title: fields[1].trim().to_string(),
            genres,
        });
    }
    Ok(movies)
}

/// `u.info`: `943 users` / `1682 items` / `100000 ratings`.
fn declared_users(text: &str) -> Option<usize> {
    text.lines().find_map(|l| {
        l.trim()
            .strip_suffix(" users")
            .and_then(|n| n.trim().parse().ok())
    })
}

/// Loads the data set from `dir`.
pub fn load(dir: &Path) -> Result<MovieLens, LoadError> {
    let genres = parse_genres(&read(dir, "u.genre")?)?;
    let movies = parse_movies(&read(dir, "u.item")?, genres.len())?;
    let info = read(dir, "u.info").ok();
    let data = read(dir, "u.data")?;

    // User ids are documented as 1..=943 (u.info). Rows outside that range,
    // with an unknown movie, a rating outside 1..5 or unparsable fields are
    // skipped and reported, never silently mixed in.
    let max_user = info.as_deref().and_then(declared_users);
    let mut ratings = Vec::with_capacity(100_000);
    let mut skipped = Vec::new();
    let mut max_seen_user = 0usize;
    for (n, line) in data.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        let parsed = (|| {
            if f.len() != 4 {
                return Err(format!("{} fields, expected 4", f.len()));
            }
            let user: usize = f[0].parse().map_err(|_| "bad user id".to_string())?;
            let item: usize = f[1].parse().map_err(|_| "bad movie id".to_string())?;
            let stars: u8 = f[2].parse().map_err(|_| "bad rating".to_string())?;
            let time_s: i64 = f[3].parse().map_err(|_| "bad timestamp".to_string())?;
            if user == 0 || max_user.is_some_and(|m| user > m) {
                return Err(format!(
                    "user id {user} outside 1..={}",
                    max_user.unwrap_or(usize::MAX)
                ));
            }
            if item == 0 || item > movies.len() {
                return Err(format!("movie id {item} not in u.item"));
            }
            if !(1..=5).contains(&stars) {
                return Err(format!("rating {stars} outside 1..5"));
            }
            Ok(Rating {
                user: user - 1,
                item: item - 1,
                stars,
                time_s,
            })
        })();
        match parsed {
            Ok(r) => {
                max_seen_user = max_seen_user.max(r.user + 1);
                ratings.push(r);
            }
            Err(why) => skipped.push(format!("u.data line {}: {why}", n + 1)),
        }
    }
    // A user who rated the same movie twice keeps the later rating.
    ratings.sort_by_key(|r| (r.user, r.item, r.time_s));
    let before = ratings.len();
    ratings.reverse();
    ratings.dedup_by_key(|r| (r.user, r.item));
    ratings.reverse();
    if ratings.len() != before {
        skipped.push(format!(
            "{} repeated (user, movie) ratings (kept the latest)",
            before - ratings.len()
        ));
    }
    if ratings.is_empty() {
        return Err(LoadError::Malformed("u.data: no usable ratings".into()));
    }
    let users = max_user.unwrap_or(max_seen_user);
    Ok(MovieLens {
        genres,
        movies,
        users,
        ratings,
        skipped,
    })
}
