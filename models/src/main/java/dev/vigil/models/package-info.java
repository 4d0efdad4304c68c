/**
 * Anomaly detectors over feature vectors and the per-service monitor that runs them on windowed
 * features.
 *
 * <p>A {@link dev.vigil.models.Detector} is streaming: each point is scored before the detector
 * learns from it, so there is no look-ahead. {@link dev.vigil.models.ServiceAnomalyMonitor} keeps
 * one detector per service over the vector of {@link dev.vigil.models.ServiceFeatureSchema} and
 * confirms each detector alarm against a robust baseline ({@link dev.vigil.models.RobustBaseline}),
 * so that every reported {@link dev.vigil.models.Anomaly} names the features that changed and by
 * how much.
 *
 * <p>Both monitors save and restore what they learnt per service ({@code snapshot}, {@code
 * restore}), so that a restart or a rebalance does not start a new warm-up: exactly, all or
 * nothing, in a versioned envelope that refuses the state of another format, schema or
 * configuration ({@code docs/model-state.md}).
 */
package dev.vigil.models;
