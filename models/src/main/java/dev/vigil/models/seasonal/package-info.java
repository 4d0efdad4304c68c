/**
 * Seasonal baselines: the robust median and MAD band of a series at the same time of day and of
 * week, with a graceful cold start ({@link dev.vigil.models.seasonal.SeasonalBaseline}).
 */
package dev.vigil.models.seasonal;
