/** Helpers shared by the ingest sources (Kafka, OTLP/HTTP). Not API: may change without notice. */
package dev.vigil.ingest.internal;
