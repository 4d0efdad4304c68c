package dev.vigil.models;

import dev.vigil.models.univariate.UnivariateDetectors;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.Deflater;

/**
 * Measures the size of per-service snapshots and the CPU time to take and restore them, for the
 * default configuration and ten-second windows (not a test; run by hand, see BENCHMARKS.md): the
 * span monitor's service after 1,000 windows (its forest's sample is full from 256 on, so the size
 * no longer grows), the signal monitor's service of ten series after an hour and a day, and one
 * {@code bin_novelty} series after an hour, a day and a week (its seasonal slots grow for a week).
 * Times are thread CPU times, the median of 20 repetitions after 5 to warm up.
 */
public final class SnapshotBenchmark {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private SnapshotBenchmark() {}

  public static void main(String[] args) {
    SyntheticWindows windows = new SyntheticWindows(7);
    ServiceAnomalyMonitor spans = new ServiceAnomalyMonitor(MonitorConfig.defaults());
    for (int i = 0; i < 1000; i++) {
      spans.observe(windows.spans(i, false));
    }
    report(
        "span monitor, 1 service, 1000 windows",
        () -> spans.snapshot(SyntheticWindows.FAULTY),
        b ->
            new ServiceAnomalyMonitor(MonitorConfig.defaults())
                .restore(SyntheticWindows.FAULTY, b));

    SignalAnomalyMonitor signals =
        SignalAnomalyMonitor.withDefaultDetector(MonitorConfig.defaults());
    int i = 0;
    for (int hours : new int[] {1, 24}) {
      for (; i < hours * 360; i++) {
        signals.observe(SyntheticWindows.start(i), SyntheticWindows.W, windows.signals(i, false));
      }
      report(
          "signal monitor, 1 service of 10 series, " + hours + " h",
          () -> signals.snapshot(SyntheticWindows.FAULTY),
          b ->
              SignalAnomalyMonitor.withDefaultDetector(MonitorConfig.defaults())
                  .restore(SyntheticWindows.FAULTY, b));
    }

    Supplier<UnivariateDetector> factory = UnivariateDetectors.factory(UnivariateDetectors.DEFAULT);
    UnivariateDetector one = factory.get();
    Random random = new Random(1);
    int k = 0;
    for (int hours : new int[] {1, 24, 168}) {
      for (; k < hours * 360; k++) {
        one.scoreAndLearn(k * 10_000L, 0.3 + 0.01 * random.nextGaussian());
      }
      report("bin_novelty series, " + hours + " h", one::snapshot, b -> factory.get().restore(b));
    }
  }

  private interface Restore {
    void restore(byte[] state);
  }

  private static void report(String what, Supplier<byte[]> snapshot, Restore restore) {
    long[] save = new long[25];
    long[] load = new long[25];
    byte[] bytes = null;
    for (int r = 0; r < save.length; r++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      bytes = snapshot.get();
      long t1 = CPU.getCurrentThreadCpuTime();
      restore.restore(bytes);
      long t2 = CPU.getCurrentThreadCpuTime();
      save[r] = t1 - t0;
      load[r] = t2 - t1;
    }
    System.out.printf(
        "%-48s %,10d bytes (%,10d deflated)  snapshot %7.2f ms  restore %7.2f ms%n",
        what, bytes.length, deflated(bytes), median(save) / 1e6, median(load) / 1e6);
  }

  /** The size after Deflate at its default level, for comparison with a compressed changelog. */
  private static int deflated(byte[] bytes) {
    Deflater deflater = new Deflater();
    deflater.setInput(bytes);
    deflater.finish();
    byte[] buffer = new byte[65536];
    int total = 0;
    while (!deflater.finished()) {
      total += deflater.deflate(buffer);
    }
    deflater.end();
    return total;
  }

  private static double median(long[] cpuNanos) {
    long[] v = Arrays.copyOfRange(cpuNanos, 5, cpuNanos.length);
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
