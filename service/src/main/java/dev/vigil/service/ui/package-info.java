/**
 * The web UI: plain HTML, JavaScript and CSS served from the jar (no build step), the JSON views it
 * draws from, and the self-contained HTML incident report written by {@code vigil analyze --html}.
 */
package dev.vigil.service.ui;
