/**
 * Ensembles of streaming detectors over a service's feature vector: every member's score is
 * calibrated to a common z-scale ({@link dev.vigil.models.ensemble.ScoreCalibrator}), the largest
 * decides, and each result names the members that alarmed and the features they blame ({@link
 * dev.vigil.models.ensemble.EnsembleDetector}).
 */
package dev.vigil.models.ensemble;
