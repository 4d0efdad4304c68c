/**
 * The Numenta Anomaly Benchmark (NAB v1.1) in Java: the corpus, a faithful port of its scorer and a
 * runner that evaluates a streaming {@link dev.vigil.models.UnivariateDetector} on it.
 *
 * <p>{@link dev.vigil.trainingdata.nab.NabCorpus} loads the 58 labelled series and the scoring
 * profiles; {@link dev.vigil.trainingdata.nab.NabScorer} reproduces NAB's window-weighted score,
 * its probationary period, its threshold optimisation and its normalisation against the null and
 * perfect detectors; {@link dev.vigil.trainingdata.nab.NabEvaluation} runs a detector over the
 * corpus without look-ahead, writes NAB-format result files and reports the normalised score per
 * profile; {@link dev.vigil.trainingdata.nab.NabPublishedResults} reads NAB's published results so
 * that the port can be checked against the scoreboard (numenta HTM 70.1 standard). The data itself
 * is reference data and is read from the shared datasets folder, never copied into the project.
 */
package dev.vigil.trainingdata.nab;
