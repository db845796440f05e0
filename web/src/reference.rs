//! The API reference: the OpenAPI document the connected server serves (`/openapi.json`),
//! read and laid out by operation, with a filter in the URL (`?q=`). What it shows is what the
//! server describes; nothing here is written by hand.

use leptos::prelude::*;
use leptos_router::hooks::query_signal;
use serde_json::Value;

use crate::api::Connection;
use crate::ui::loaded;

/// One operation of the document.
#[derive(Debug, Clone, PartialEq)]
struct Op {
    method: String,
    path: String,
    tag: String,
    summary: String,
    description: String,
    params: Vec<(String, String, String)>,
    body: Vec<(String, bool)>,
    responses: Vec<(String, String)>,
}

impl Op {
    fn matches(&self, q: &str) -> bool {
        let q = q.trim().to_lowercase();
        q.is_empty()
            || [&self.method, &self.path, &self.tag, &self.summary]
                .iter()
                .any(|s| s.to_lowercase().contains(&q))
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A schema in a few words: its type, enum or range, or what it refers to.
fn schema_words(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    let kind = match s.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => String::new(),
    };
    let mut words = vec![kind];
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values.iter().take(8).map(|v| v.to_string()).collect();
        words.push(format!(
            "one of {}{}",
            shown.join(", "),
            if values.len() > 8 { ", …" } else { "" }
        ));
    }
    for (key, word) in [
        ("minimum", "from"),
        ("maximum", "to"),
        ("maxLength", "at most"),
        ("format", ""),
    ] {
        if let Some(v) = s.get(key) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            words.push(if word.is_empty() {
                v
            } else {
                format!("{word} {v}")
            });
        }
    }
    words.retain(|w| !w.is_empty());
    words.join(", ")
}

/// The operations of a document, in its order.
fn operations(doc: &Value) -> Vec<Op> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    let schema = p.get("schema").map(schema_words).unwrap_or_default();
                    (
                        format!("{} ({})", text(p, "name"), text(p, "in")),
                        schema,
                        text(p, "description"),
                    )
                })
                .collect();
            let body_schema = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .and_then(|m| m.get("schema"));
            let required: Vec<&str> = body_schema
                .and_then(|s| s.get("required"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let body = body_schema
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| (k.clone(), required.contains(&k.as_str())))
                .collect();
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(code, r)| (code.clone(), text(r, "description")))
                .collect();
            out.push(Op {
                method: method.to_uppercase(),
                path: path.clone(),
                tag: op
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                summary: text(op, "summary"),
                description: text(op, "description"),
                params,
                body,
                responses,
            });
        }
    }
    out
}

/// The API reference page.
#[component]
pub fn Reference() -> impl IntoView {
    let connection = expect_context::<RwSignal<Connection>>();
    let (q, set_q) = query_signal::<String>("q");
    let doc = LocalResource::new(move || {
        let c = connection.get();
        async move { c.talkover::<Value>("/openapi.json").await }
    });
    let href = move || format!("{}/openapi.json", connection.get().talkover);
    view! {
        <h1>"API reference"</h1>
        <p class="hint">
            "Both APIs as the connected server describes them (OpenAPI 3.1, generated from the \
             types that write its answers). Import " <a href=href>"openapi.json"</a>
            " into Postman or Insomnia, or generate a client from it."
        </p>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="api-filter">"Filter operations"</label>
            <input
                id="api-filter"
                type="search"
                placeholder="path, method or words"
                prop:value=move || q.get().unwrap_or_default()
                on:input=move |ev| {
                    set_q.set(Some(event_target_value(&ev)).filter(|s| !s.is_empty()))
                }
            />
        </form>
        {loaded(
            "the API description",
            doc,
            move |doc: Value| {
                let ops = operations(&doc);
                let title = format!(
                    "{} {}",
                    text(doc.get("info").unwrap_or(&Value::Null), "title"),
                    doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default(),
                );
                view! {
                    <p class="sub">{title}" · "{ops.len()}" operations"</p>
                    {move || {
                        let q = q.get().unwrap_or_default();
                        let shown: Vec<Op> = ops
                            .iter()
                            .filter(|o| o.matches(&q))
                            .cloned()
                            .collect();
                        if shown.is_empty() {
                            return view! {
                                <p class="empty">"No operation matches this filter."</p>
                            }
                                .into_any();
                        }
                        view! {
                            <ul class="operations">
                                {shown.into_iter().map(operation).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                }
            },
        )}
    }
}

fn operation(op: Op) -> impl IntoView {
    let method_class = format!("method {}", op.method.to_lowercase());
    view! {
        <li>
            <details>
                <summary>
                    <span class=method_class>{op.method.clone()}</span>
                    " "
                    <code>{op.path.clone()}</code>
                    " "
                    <span class="sub">{op.summary.clone()}" · "{op.tag.clone()}</span>
                </summary>
                {(!op.description.is_empty()).then(|| view! { <p>{op.description.clone()}</p> })}
                {(!op.params.is_empty())
                    .then(|| {
                        view! {
                            <table class="params">
                                <thead>
                                    <tr>
                                        <th scope="col">"Parameter"</th>
                                        <th scope="col">"Schema"</th>
                                        <th scope="col">"Meaning"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {op
                                        .params
                                        .iter()
                                        .map(|(n, s, d)| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        <code>{n.clone()}</code>
                                                    </th>
                                                    <td>{s.clone()}</td>
                                                    <td>{d.clone()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                    })}
                {(!op.body.is_empty())
                    .then(|| {
                        view! {
                            <p>
                                "Body: "
                                {op
                                    .body
                                    .iter()
                                    .map(|(k, req)| {
                                        view! {
                                            <code>{k.clone()}</code>
                                            {if *req { " (required) " } else { " " }}
                                        }
                                    })
                                    .collect_view()}
                            </p>
                        }
                    })}
                <ul class="responses">
                    {op
                        .responses
                        .iter()
                        .map(|(c, d)| {
                            view! {
                                <li>
                                    <strong>{c.clone()}</strong>
                                    " "
                                    {d.clone()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_are_read_from_the_document() {
        let doc = json!({"paths": {"/v1/usage/daily": {"get": {
            "tags": ["Usage"], "summary": "Usage per day",
            "parameters": [{"name": "days", "in": "query", "description": "How many",
                "schema": {"type": "integer", "minimum": 1, "maximum": 365}}],
            "responses": {"200": {"description": "Rows"}, "422": {"description": "Out of range"}}
        }}}});
        let ops = operations(&doc);
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].params[0].1, "integer, from 1, to 365");
        assert_eq!(ops[0].responses.len(), 2);
        assert!(ops[0].matches("daily") && ops[0].matches("GET") && !ops[0].matches("agents"));
    }
}
