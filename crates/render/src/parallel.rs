//! Maps work over every core from one shared queue: generating is many files
//! of very different sizes (a domain's tests next to its `mod.rs`), and fixed
//! chunks left one core idle while the other formatted the big ones.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, results in the order of `items`. Threads take
/// the next item as they finish one, so put the costliest items first.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        // The calling thread works too: one spawn fewer.
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
        for (index, result) in worker() {
            results[index] = Some(result);
        }
        for helper in helpers {
            let done = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (index, result) in done {
                results[index] = Some(result);
            }
        }
    });
    results
        .into_iter()
        .map(|result| result.expect("every index is taken by exactly one thread"))
        .collect()
}

/// [`map`] in the order of `cost`, highest first, results still in the order of `items`.
pub fn map_costliest_first<T: Sync, R: Send>(
    items: &[T],
    cost: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cost(&items[i])), i));
    let done = map(&order, |&i| f(&items[i]));
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, result) in order.into_iter().zip(done) {
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|result| result.expect("order is a permutation of the items"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items_whatever_the_schedule() {
        let items: Vec<usize> = (0..100).collect();
        assert_eq!(
            super::map(&items, |i| i * 2),
            (0..100).map(|i| i * 2).collect::<Vec<_>>()
        );
        let costly = super::map_costliest_first(&items, |&i| i % 7, |i| i + 1);
        assert_eq!(costly, (1..101).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |_| ()).is_empty());
    }
}
