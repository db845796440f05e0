//! Mounts the console; everything else is in the library.

fn main() {
    dialback_web::panic::install();
    leptos::mount::mount_to_body(dialback_web::App);
}
