/**
 * Root-cause analysis: the service call graph learnt from traces, rankers that order the services
 * of an incident by how likely each is to be its cause, and the tracker that groups anomalies into
 * incidents.
 *
 * <p>The causal assumption is the one of synchronous microservices: a fault propagates from a
 * callee to its callers (a slow database makes its callers slow), never the other way. A service is
 * therefore a good root-cause candidate when its <em>own</em> behaviour changed (its self time or
 * its own errors, not what it inherits from downstream) and when its anomalous callers are
 * explained by it.
 */
package dev.vigil.rca;
