//! Mounts the console; everything else is in the library.

fn main() {
    leptos::mount::mount_to_body(dialback_web::App);
}
