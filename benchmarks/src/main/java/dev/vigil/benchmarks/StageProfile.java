package dev.vigil.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A poor man's sampling profiler of one thread: every 50 ms it takes the thread's stack and counts,
 * for each of a few markers (substrings of {@code class.method}), whether a frame on the stack
 * matches it; the first marker matched from the top of the stack counts. Enough to say which part
 * of a benchmark stage the time went to, without a profiler attached.
 */
final class StageProfile {
  private final Thread target;
  private final List<String> markers;
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final Thread sampler;
  private volatile boolean stopped;
  private int samples;

  private StageProfile(Thread target, List<String> markers) {
    this.target = target;
    this.markers = List.copyOf(markers);
    markers.forEach(m -> counts.put(m, 0));
    counts.put("other", 0);
    this.sampler = new Thread(this::run, "stage-profile");
    sampler.setDaemon(true);
  }

  static StageProfile start(Thread target, List<String> markers) {
    StageProfile p = new StageProfile(target, markers);
    p.sampler.start();
    return p;
  }

  private void run() {
    while (!stopped) {
      StackTraceElement[] stack = target.getStackTrace();
      String hit = "other";
      outer:
      for (StackTraceElement e : stack) {
        String frame = e.getClassName() + "." + e.getMethodName();
        for (String m : markers) {
          if (frame.contains(m)) {
            hit = m;
            break outer;
          }
        }
      }
      synchronized (this) {
        counts.merge(hit, 1, Integer::sum);
        samples++;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void stop() throws InterruptedException {
    stopped = true;
    sampler.join();
  }

  synchronized String shares() {
    int n = Math.max(1, samples);
    return samples
        + " samples: "
        + counts.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / n))
            .collect(Collectors.joining(", "));
  }
}
