//! What the page shows if the console ever panics.
//!
//! A panic in wasm stops the module: every later click would do nothing, silently. The hook
//! puts a plain message over the page instead (what happened, and that reloading starts
//! again; nothing saved on a server is lost) and keeps the details in the browser console.
//! Nothing is supposed to panic: numbers from a server are added saturating, and the core's
//! functions take any input. This is for what was missed.

/// Installs the hook; call once, before mounting.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let details = info.to_string();
        web_sys::console::error_1(&format!("Dialback console stopped: {details}").into());
        show(&details);
    }));
}

/// The message, as plain text in an alert region above everything else.
pub fn show(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(alert) = document.create_element("div") else {
        return;
    };
    alert.set_id("console-stopped");
    let _ = alert.set_attribute("role", "alert");
    alert.set_text_content(Some(&message(details)));
    // styled by console.css (`#console-stopped`): the page's CSP allows no inline styles
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&alert);
    }
}

/// The words shown: what to do first, the details last.
pub fn message(details: &str) -> String {
    format!(
        "The console stopped because of an error in the console itself, not in your data. \
         Reload the page to start again: nothing saved on the server is lost.\n\nDetails: {details}"
    )
}
