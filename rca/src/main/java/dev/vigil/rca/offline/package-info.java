/**
 * Offline root-cause analysis of a recorded incident: time series extracted from spans and metrics,
 * a causal graph, rankers that order the services by how likely each is the cause, and the evidence
 * behind each candidate.
 *
 * <p>The input is whatever telemetry was recorded ({@link dev.vigil.telemetry.TelemetryBatch}es
 * from OTLP files): {@link dev.vigil.rca.offline.SeriesExtractor} turns spans into per-operation
 * series (latency, self time, own errors) and per-call-edge series (the client-server latency gap,
 * which is where network faults show), and turns every gauge, sum, histogram or summary metric of a
 * service into a resource series, assuming no metric names. An incident time splits each series
 * into a normal and an abnormal window; {@link dev.vigil.rca.offline.IncidentLocator} finds it when
 * it is not given.
 *
 * <p>The causal graph ({@link dev.vigil.rca.offline.CausalGraph}) has an edge from callee to caller
 * (a slow callee makes its caller slow) and from each service's resources to the service. Three
 * rankers implement {@link dev.vigil.rca.offline.IncidentRanker}: robust change scoring (BARO),
 * personalized PageRank on the anomaly-weighted causal graph (MicroRCA) and causal effect
 * estimation by backdoor-adjusted linear regression (as DoWhy's linear-regression estimator); an
 * ensemble combines them with a fourth, {@link dev.vigil.rca.offline.EventPatternRanker}, which
 * looks for code faults that move no latency: which operation's requests started reaching other log
 * statements, running other local spans or calling other operations than the same operation's
 * requests before (Nezha-style event patterns, log lines joined to spans by trace and span id); its
 * scores are absolute, so when no operation changed it adds nothing. {@link
 * dev.vigil.rca.offline.OfflineAnalyzer} runs the whole analysis.
 *
 * <p>This is the one ranking engine: the live service reaches it through {@link
 * dev.vigil.rca.RootCauseRanker#engine()}, which builds an {@link
 * dev.vigil.rca.offline.IncidentData} from the incident's windows (changes scored by the anomaly
 * monitor's baselines, {@link dev.vigil.rca.offline.IncidentData#ofChanges}) and ranks it with the
 * same {@link dev.vigil.rca.offline.IncidentRanker}. Log records become per-template series (Drain,
 * {@link dev.vigil.features.LogTemplateMiner}) and error-line series of {@link
 * dev.vigil.rca.offline.SeriesKind#LOG}. {@link dev.vigil.rca.offline.RankedCause#toRootCause()}
 * converts a result for consumers of the live types, and the {@link dev.vigil.rca.Evidence} record
 * is shared.
 */
package dev.vigil.rca.offline;
