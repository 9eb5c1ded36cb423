//! Items of the base and head policies paired by name.

/// An item of the base and head policies, paired by name.
pub(super) enum Paired<'a, T> {
    Added(&'a T),
    Both(&'a T, &'a T),
    Removed(&'a T),
}

/// Pairs the items of two lists by name: the head's in order (added, or with their base
/// version), then the base's that the head no longer has.
pub(super) fn by_name<'a, T>(
    base: &'a [T],
    head: &'a [T],
    name: impl Fn(&T) -> &str,
) -> Vec<Paired<'a, T>> {
    let mut pairs: Vec<Paired<'a, T>> = head
        .iter()
        .map(|new| match base.iter().find(|old| name(old) == name(new)) {
            Some(old) => Paired::Both(old, new),
            None => Paired::Added(new),
        })
        .collect();
    pairs.extend(
        base.iter()
            .filter(|old| !head.iter().any(|new| name(new) == name(old)))
            .map(Paired::Removed),
    );
    pairs
}
