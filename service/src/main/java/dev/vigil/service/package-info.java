/**
 * Vigil's runnable service: the command line ({@link dev.vigil.service.Main}), the streaming
 * pipeline that ties ingest, features, models and rca together, the alert lifecycle, and the HTTP
 * API. Nothing imports this module.
 */
package dev.vigil.service;
