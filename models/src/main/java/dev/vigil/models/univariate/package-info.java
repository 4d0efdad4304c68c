/**
 * Streaming detectors over one numeric series ({@link dev.vigil.models.UnivariateDetector}), the
 * calibrations that put their scores on one scale (record novelty, Numenta's anomaly likelihood),
 * value-bin novelty and alarm debouncing (the default {@link
 * dev.vigil.models.univariate.BinNoveltyDetector}), and the registry {@link
 * dev.vigil.models.univariate.UnivariateDetectors} that names them for the command line and the
 * Numenta Anomaly Benchmark evaluation.
 */
package dev.vigil.models.univariate;
