//! The one "did you mean" suggester every diagnostic uses (rule files, model files, answers,
//! `explain`, topology component names): Jaro-Winkler similarity over the known ids, plus
//! whole kebab segments, so `breaker` finds `circuit-breaker`, and an edit distance for
//! short names, so `dsn` finds `dns`.

/// The candidate most similar to `needle`, if any is similar enough to be a plausible typo
/// or abbreviation (Jaro-Winkler similarity at least 0.8, or a candidate that contains the
/// needle as a whole kebab segment run, like `breaker` in `circuit-breaker`). Ties keep the
/// earlier candidate. When nothing is that similar, a candidate within a small
/// optimal-string-alignment distance (a swap of two letters counts once; at most 1 edit for
/// short names, a third of the length for longer ones) is suggested: Jaro-Winkler scores a
/// transposed three-letter name such as `dsn` for `dns` at only 0.6.
pub fn closest<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    let mut best: Option<(&str, f64)> = None;
    for &cand in &candidates {
        let mut score = strsim::jaro_winkler(&needle, cand);
        if needle.len() >= 3 && contains_segments(cand, &needle) {
            score = score.max(0.9);
        }
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((cand, score));
        }
    }
    best.filter(|&(_, s)| s >= 0.8).map(|(c, _)| c).or_else(|| {
        let limit = (needle.chars().count() / 3).max(1);
        candidates
            .iter()
            .map(|&c| (strsim::osa_distance(&needle, &c.to_lowercase()), c))
            .filter(|&(d, _)| d <= limit)
            .min_by_key(|&(d, _)| d)
            .map(|(_, c)| c)
    })
}

/// Whether `needle` appears in `id` starting and ending at kebab-segment boundaries.
fn contains_segments(id: &str, needle: &str) -> bool {
    id.match_indices(needle).any(|(at, m)| {
        let before = id[..at].chars().next_back();
        let after = id[at + m.len()..].chars().next();
        before.is_none_or(|c| c == '-') && after.is_none_or(|c| c == '-')
    })
}

/// "did you mean `x`?" for the closest of `known` to `id`, when one is close enough.
pub fn did_you_mean<'a>(id: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(id, known).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_abbreviations_typos_and_transposed_short_names() {
        let ids = ["circuit-breaker", "bulkhead", "retry"];
        assert_eq!(closest("breaker", ids), Some("circuit-breaker"));
        assert_eq!(closest("bulkhaed", ids), Some("bulkhead"));
        // Jaro-Winkler gives `dsn`/`dns` 0.6; the edit distance (one swap) finds it.
        assert_eq!(closest("dsn", ["dns", "auth"]), Some("dns"));
        assert_eq!(closest("DSN", ["dns", "auth"]), Some("dns"));
        assert_eq!(closest("xyz", ["dns", "auth"]), None);
        assert_eq!(closest("", ids), None);
    }
}
