// Starts the console. A file, not an inline script, so the page's Content-Security-Policy can
// forbid inline scripts altogether.
import init from '/dialback_web.js';

// `init` runs the app's main, which mounts the first page synchronously: the mark is "first
// render" for the end-to-end tests' measurement
init().then(() => performance.mark('dialback:mounted'));
