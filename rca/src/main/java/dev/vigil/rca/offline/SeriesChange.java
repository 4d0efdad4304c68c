package dev.vigil.rca.offline;

/**
 * How one series changed at the incident, in the manner of BARO's robust scoring: the abnormal
 * window against the median and inter-quartile range of the normal window.
 *
 * @param before the median of the normal window
 * @param after the abnormal window's value in the direction of the change (its upper or lower
 *     quantile, see {@link AnalysisConfig#abnormalQuantile()})
 * @param spread the normal window's spread the score is measured in (IQR, with floors)
 * @param rawScore {@code |after - before| / spread}, 0 when the change is in a harmless direction
 *     or a window has too few points
 * @param score the raw score divided by the usual deviation of the series in its normal window (at
 *     least 1): how unusual the change is for this series; a change counts only as far as the
 *     series had gone by the onset tolerance after the incident ({@link RobustStats#reachedBy}), so
 *     a series that changed only later scores less than its raw score says
 */
public record SeriesChange(
    Series series, double before, double after, double spread, double rawScore, double score) {

  public SeriesKey key() {
    return series.key();
  }

  /** The calibrated score of one value against the normal window, in the harmful direction(s). */
  public double scoreOf(double value) {
    if (Double.isNaN(value) || Double.isNaN(before) || !(spread > 0)) {
      return 0;
    }
    double d = value - before;
    if (series.key().kind().harmfulOnlyWhenUp()) {
      d = Math.max(0, d);
    }
    return Math.abs(d) / spread * (rawScore > 0 ? score / rawScore : 1);
  }
}
