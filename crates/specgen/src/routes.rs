//! The routes a generated project already serves, so the generator only adds
//! routes one axum router can hold together: no method and path twice, and
//! no two parameters of different names at the same place (`/orders/{id}`
//! beside `/orders/{order_id}/lines`), which axum's router refuses at start-up.

/// Every claimed route of a project (all domains: they share `backend::router()`).
#[derive(Debug, Default)]
pub struct Routes {
    claimed: Vec<(String, Vec<String>)>,
}

fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn param(segment: &str) -> Option<&str> {
    segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
}

/// Whether two paths can live in one router: where they share a prefix, a
/// parameter at the same place has the same name.
pub fn compatible(a: &[String], b: &[String]) -> bool {
    for (x, y) in a.iter().zip(b) {
        match (param(x), param(y)) {
            (Some(p), Some(q)) if p != q => return false,
            (Some(_), Some(_)) => {}
            (None, None) if x != y => return true,
            (None, None) => {}
            // A static segment beside a parameter: the router prefers the static one.
            _ => return true,
        }
    }
    true
}

impl Routes {
    /// Claims `method path` if it fits beside every route claimed so far.
    pub fn claim(&mut self, method: &str, path: &str) -> bool {
        let new = segments(path);
        for (other_method, other) in &self.claimed {
            if !compatible(&new, other) || (other_method == method && *other == new) {
                return false;
            }
        }
        self.claimed.push((method.to_string(), new));
        true
    }
}
