//! Micro-benchmarks of the hot stages: front matter, Markdown, and the
//! whole render of a small site in memory (templates included).
//!
//! Run: `cargo bench --bench micro`. The corpus is a challenge written by
//! the same generator the whole-build benchmark uses, embedded here so the
//! benchmark needs nothing outside the repository.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use utlys::content::frontmatter::{self, Format};
use utlys::markdown::{self, Links};

const CHALLENGE: &str = include_str!("../tests/bench-fixtures/challenge.md");

fn front_matter(c: &mut Criterion) {
    let mut g = c.benchmark_group("front_matter");
    g.throughput(Throughput::Elements(1));
    g.bench_function("split_and_parse_yaml", |b| {
        b.iter(|| {
            let s = frontmatter::split(black_box(CHALLENGE)).expect("front matter");
            let parsed: frontmatter::Parsed<BTreeMap<String, serde::de::IgnoredAny>> =
                frontmatter::parse(Format::Yaml, s.front).expect("parse");
            black_box(parsed)
        })
    });
    g.finish();
}

fn markdown_render(c: &mut Criterion) {
    let body = frontmatter::split(CHALLENGE).expect("front matter").body;
    let links = Links::default();
    let mut g = c.benchmark_group("markdown");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("render_challenge_body", |b| {
        b.iter(|| black_box(markdown::render(black_box(body), &links, true)))
    });
    g.finish();
}

fn site_render(c: &mut Criterion) {
    // A 100-challenge site in a temp folder, rendered into memory.
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/challenges")).expect("mkdir");
    std::fs::write(
        root.join("site.toml"),
        "title = \"Bench\"\nbase_url = \"https://example.se/\"\n",
    )
    .expect("site.toml");
    for i in 0..100 {
        let text = CHALLENGE.replacen("title: \"", &format!("title: \"{i} "), 1);
        std::fs::write(root.join(format!("content/challenges/c{i:03}.md")), text).expect("write");
    }
    let options = utlys::BuildOptions {
        root: root.to_path_buf(),
        output: Some(Path::new("/nonexistent").to_path_buf()),
        base_url: None,
        now: "2026-03-01T12:00:00+01:00".parse().expect("time"),
        fixed_clock: true,
        drafts: false,
    };
    let mut g = c.benchmark_group("site");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100));
    g.bench_function("render_100_challenges_in_memory", |b| {
        b.iter(|| black_box(utlys::render(&options).expect("renders")))
    });
    g.finish();
}

criterion_group!(benches, front_matter, markdown_render, site_render);
criterion_main!(benches);
