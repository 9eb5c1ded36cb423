//! Items of two versions (base and head policy, expected and actual snapshot, two outcomes)
//! paired by name: the one way `gate diff` and `gate test` match gates, levels, categories,
//! evidence and waivers.

/// An item of the base and head versions, paired by name.
pub(crate) enum Paired<'a, T> {
    Added(&'a T),
    Both(&'a T, &'a T),
    Removed(&'a T),
}

/// Pairs the items of two lists by name: the head's in order (added, or with their base
/// version), then the base's that the head no longer has.
pub(crate) fn by_name<'a, T>(
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
