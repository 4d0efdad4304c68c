/**
 * Recorded incidents built in code, with known ground truth and no simulator behind them: a call
 * tree of any size whose spans, metrics and logs are written directly as Vigil's telemetry records.
 * For the root-cause tests and the ranking benchmark, where the size and the fault must be exact.
 */
package dev.vigil.trainingdata.synthetic;
