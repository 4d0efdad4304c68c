/**
 * The Train Ticket fault-injection data of the Nezha paper (Yu et al., "Nezha: Interpretable
 * Fine-Grained Root Causes Analysis for Microservices on Multi-modal Observability Data", ESEC/FSE
 * 2023): its 45 labelled faults, their conversion to real OTLP messages (built with the official
 * {@code io.opentelemetry.proto} classes), and the top-k accuracy measures the published results
 * use.
 *
 * <p>Everything specific to this data set stays here: how a pod name maps to its service, which
 * trace files belong to a fault, and the CSV layouts. The analysis that ranks the converted faults
 * knows none of it.
 */
package dev.vigil.trainingdata.nezha;
