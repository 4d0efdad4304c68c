/**
 * Trained models in the running service: the registry poller that swaps promoted models in without
 * a restart, and the Kafka implementation of the model registry (the compacted {@code vigil.models}
 * topic).
 */
package dev.vigil.service.models;
