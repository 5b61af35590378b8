//! docs/errors.md shows real output: every `$ tradeoff ...` block is run and must print
//! exactly what the page shows, and fail (every example there is an error).

use super::{root, tradeoff};

/// The (command line, shown output) of every example block of the page.
fn examples(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("```text\n$ tradeoff ") {
        let block = &rest[start + "```text\n".len()..];
        let end = block.find("```").expect("every block is closed");
        let (command, shown) = block[..end].split_once('\n').expect("a command line");
        out.push((command.to_string(), shown.to_string()));
        rest = &block[end..];
    }
    out
}

#[test]
fn every_example_on_the_errors_page_is_real_output() {
    let page = std::fs::read_to_string(root().join("docs/errors.md")).expect("docs/errors.md");
    let examples = examples(&page);
    assert!(examples.len() >= 40, "found {} examples", examples.len());
    let mut stale = Vec::new();
    for (command, shown) in &examples {
        let args: Vec<&str> = command
            .trim_start_matches("$ tradeoff ")
            .split_whitespace()
            .collect();
        let out = tradeoff()
            .current_dir(root())
            .args(&args)
            .write_stdin("")
            .output()
            .expect("tradeoff runs");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{command} succeeded");
        if &printed != shown {
            stale.push(format!("{command}\n--- page\n{shown}--- now\n{printed}"));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/errors.md is stale (regenerate the blocks):\n{}",
        stale.join("\n")
    );
}
