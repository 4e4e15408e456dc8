//! Did-you-mean: the message for an unknown word, with the known word it most likely meant.

/// Words from other libraries (glib, traitlets, validator crates) or plain English, and the
/// field option each most likely means.
#[rustfmt::skip]
pub const FIELD_ALIASES: &[(&str, &str)] = &[
    ("min", "range"), ("max", "range"), ("minimum", "range"), ("maximum", "range"),
    ("bounds", "range"), ("len", "length"), ("min_len", "length"), ("max_len", "length"),
    ("min_length", "length"), ("max_length", "length"), ("size", "length"), ("check", "validate"),
    ("validator", "validate"), ("convert", "coerce"), ("transform", "coerce"), ("map", "coerce"),
    ("readonly", "once"), ("read_only", "once"), ("frozen", "once"), ("final", "once"),
    ("set_once", "once"), ("on_set", "on_change"), ("observe", "on_change"),
    ("observer", "on_change"), ("watch", "on_change"), ("notify", "on_change"),
    ("choices", "one_of"), ("choice", "one_of"), ("allowed", "one_of"), ("any_of", "one_of"),
    ("in", "one_of"), ("enum", "one_of"), ("values", "one_of"), ("not_empty", "non_empty"),
    ("nonempty", "non_empty"), ("required", "non_empty"), ("non_blank", "non_empty"),
    ("not_blank", "non_empty"), ("regex", "pattern"), ("regexp", "pattern"), ("re", "pattern"),
    ("matches", "pattern"), ("format", "pattern"), ("cached", "lazy"), ("cache", "lazy"),
    ("cached_property", "lazy"), ("compute", "lazy"), ("computed", "lazy"),
    ("default_factory", "lazy"), ("dynamic_default", "lazy"),
];

/// As [`FIELD_ALIASES`], for the struct's options.
#[rustfmt::skip]
pub const STRUCT_ALIASES: &[(&str, &str)] = &[
    ("krate", "crate"), ("no_drop", "manual_drop"), ("keyed_by", "key"), ("hasher", "hash"), ("snapshot", "values"),
    ("values_struct", "values"), ("state", "values"), ("value", "values"),
    ("no_snapshot", "no_values"), ("skip_values", "no_values"), ("without_values", "no_values"),
    ("novalues", "no_values"), ("serialize", "serde"), ("serialization", "serde"),
    ("json", "serde"), ("local", "rc"), ("single_threaded", "rc"), ("unsync", "rc"),
    ("thread_local", "rc"), ("not_send", "rc"), ("extends", "extend"), ("attach", "extend"),
    ("attach_to", "extend"), ("attached_to", "extend"), ("foreign", "extend"),
    ("for_type", "extend"), ("target", "extend"),
];

/// As [`FIELD_ALIASES`], for the options of a kind of its own (a kind takes the field's too).
#[rustfmt::skip]
pub const KIND_ALIASES: &[(&str, &str)] = &[
    ("extend", "extends"), ("parent", "extends"), ("base", "extends"), ("inherits", "extends"),
    ("inherit", "extends"), ("subclass", "extends"), ("subclass_of", "extends"),
    ("krate", "crate"),
];

/// The message for an option that belongs to another attribute, written on `on`'s: a kind's
/// `extends` on a field.
pub fn elsewhere(on: &str, word: &str) -> Option<&'static str> {
    match (on, word) {
        ("field", "extends" | "kind") => Some(
            "a field takes its kind as the second parameter of its type, as in \
             `health: Field<u8, Percent>`; `extends` goes on a kind, in `#[kind(u8, extends = \
             Percent, ...)]`",
        ),
        ("field", "extend") => Some(
            "`extend` is an option of the struct: `#[descriptors(extend = Connection)]` attaches \
             every field of the struct to `Connection`",
        ),
        _ => None,
    }
}

/// As [`FIELD_ALIASES`], for the hashes of `hash = ..`.
#[rustfmt::skip]
pub const HASH_ALIASES: &[(&str, &str)] = &[
    ("sip", "keyed"), ("siphash", "keyed"), ("random", "keyed"), ("random_state", "keyed"),
    ("randomstate", "keyed"), ("secure", "keyed"), ("dos", "keyed"), ("hashdos", "keyed"),
    ("safe", "keyed"), ("std", "keyed"), ("foldhash", "fast"), ("default", "fast"),
];

/// As [`FIELD_ALIASES`], for the key modes.
#[rustfmt::skip]
pub const KEY_ALIASES: &[(&str, &str)] = &[
    ("id", "identity"), ("ptr", "identity"), ("pointer", "identity"), ("address", "identity"),
    ("arc", "identity"), ("hash", "value"), ("eq", "value"), ("equality", "value"),
];

/// As [`FIELD_ALIASES`], for the bounds of `range` and `length`.
#[rustfmt::skip]
pub const BOUND_ALIASES: &[(&str, &str)] = &[
    ("minimum", "min"), ("maximum", "max"), ("lo", "min"), ("low", "min"), ("start", "min"),
    ("from", "min"), ("hi", "max"), ("high", "max"), ("end", "max"), ("to", "max"),
];

/// The message for an unknown `what` (an option, a bound, a key mode) spelt `found`, found in
/// `place` (`""`, or `" in `range(...)`"`): the closest of `known` if it looks like a typo or
/// an alias from another library, or else the whole list.
pub fn unknown(
    what: &str,
    found: &str,
    place: &str,
    known: &[&str],
    aliases: &[(&str, &str)],
) -> String {
    match did_you_mean(found, known, aliases) {
        Some(suggestion) => {
            format!("unknown {what} `{found}`{place}, did you mean `{suggestion}`?")
        }
        None => format!(
            "unknown {what} `{found}`{place}, expected {}",
            one_of(known)
        ),
    }
}

/// `` `a`, `b` or `c` ``.
pub fn one_of(known: &[&str]) -> String {
    let quoted: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The known word closest to `found` (by edit distance, transpositions counting once), or a
/// known alias' meaning, if it is close enough to be a likely typo.
fn did_you_mean<'a>(found: &str, known: &[&'a str], aliases: &[(&str, &str)]) -> Option<&'a str> {
    let lower = found.to_ascii_lowercase();
    if let Some(&(_, meaning)) = aliases.iter().find(|(alias, _)| *alias == lower) {
        return known.iter().copied().find(|name| *name == meaning);
    }
    known
        .iter()
        .map(|name| (edit_distance(&lower, name), *name))
        .filter(|&(distance, name)| distance <= (name.chars().count() / 3).max(1))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions (`rnage`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, edit_distance, unknown};

    const OPTIONS: &[&str] = &["range", "length", "on_change", "once"];
    const ALIASES: &[(&str, &str)] = &[("max", "range"), ("readonly", "once")];

    #[test]
    fn transposed_letters_suggest_the_option() {
        assert_eq!(did_you_mean("rnage", OPTIONS, ALIASES), Some("range"));
        assert_eq!(did_you_mean("lenght", OPTIONS, ALIASES), Some("length"));
        assert_eq!(
            did_you_mean("onchange", OPTIONS, ALIASES),
            Some("on_change")
        );
    }

    #[test]
    fn aliases_from_other_libraries_suggest_the_option() {
        assert_eq!(did_you_mean("max", OPTIONS, ALIASES), Some("range"));
        assert_eq!(did_you_mean("ReadOnly", OPTIONS, ALIASES), Some("once"));
    }

    #[test]
    fn unrelated_words_list_every_option() {
        assert_eq!(did_you_mean("colour", OPTIONS, ALIASES), None);
        assert_eq!(
            unknown("option", "colour", "", OPTIONS, ALIASES),
            "unknown option `colour`, expected `range`, `length`, `on_change` or `once`"
        );
        assert_eq!(
            unknown("bound", "x", " in `range(...)`", &["min"], &[]),
            "unknown bound `x` in `range(...)`, expected `min`"
        );
    }

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert_eq!(edit_distance("rnage", "range"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
