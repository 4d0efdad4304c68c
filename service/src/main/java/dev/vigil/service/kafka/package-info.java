/**
 * Kafka for running Vigil without an external cluster: {@link
 * dev.vigil.service.kafka.EmbeddedKafkaBroker} starts a single-node KRaft broker in-process (used
 * by {@code vigil demo}). Production deployments pass {@code --bootstrap-servers} instead.
 */
package dev.vigil.service.kafka;
