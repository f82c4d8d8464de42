//! Conversions between the naming conventions specs use and code needs.

/// Splits `OrderLine`, `order_line`, `orderLine` or `order-line` into lowercase words.
pub fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && !current.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_numeric())
                || next.is_some_and(|n| n.is_lowercase()));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `OrderLine` -> `order_line`.
pub fn snake(name: &str) -> String {
    words(name).join("_")
}

/// `order_line` -> `OrderLine`.
pub fn pascal(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// `member_id` -> `memberId` (JSON and TypeScript spelling).
pub fn camel(name: &str) -> String {
    let pascal = pascal(name);
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `ORDER_NOT_FOUND` -> `OrderNotFound` (error codes are usually shouted).
pub fn pascal_from_shout(name: &str) -> String {
    pascal(&name.to_lowercase())
}

/// A naive English plural, good enough for route and collection names.
pub fn plural(word: &str) -> String {
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if word.ends_with('y')
        && !word.ends_with("ay")
        && !word.ends_with("ey")
        && !word.ends_with("oy")
        && !word.ends_with("uy")
    {
        format!("{}ies", &word[..word.len() - 1])
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_cases() {
        let cases = [
            ("OrderLine", "order_line", "OrderLine"),
            ("order_line", "order_line", "OrderLine"),
            ("orderLine", "order_line", "OrderLine"),
            ("HTTPRequest", "http_request", "HttpRequest"),
            ("total_cents2", "total_cents2", "TotalCents2"),
            ("type", "type", "Type"),
        ];
        for (input, want_snake, want_pascal) in cases {
            assert_eq!(snake(input), want_snake, "snake({input})");
            assert_eq!(pascal(input), want_pascal, "pascal({input})");
        }
        assert_eq!(pascal_from_shout("ORDER_NOT_FOUND"), "OrderNotFound");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("order"), "orders");
        assert_eq!(plural("box"), "boxes");
    }
}
