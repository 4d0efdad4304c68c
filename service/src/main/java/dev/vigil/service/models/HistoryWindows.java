package dev.vigil.service.models;

import dev.vigil.features.FeatureConfig;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.SpanFeatureAggregator;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.ServiceFeatureSchema;
import dev.vigil.telemetry.SpanRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-service detector vectors of a history, built with the stream's own code ({@link
 * SpanFeatureAggregator}, {@link ServiceFeatureSchema#vector}) as spans arrive, whatever their
 * source (OTLP files, a time range of a Kafka topic). Services with fewer than {@code minRequests}
 * requests in a window are skipped for that window, as the streaming monitor skips them. Mutable,
 * single-threaded.
 */
public final class HistoryWindows {
  private final SpanFeatureAggregator aggregator;
  private final int minRequests;
  private final Map<String, List<FeatureVector>> vectors = new TreeMap<>();

  public HistoryWindows(FeatureConfig features, int minRequests) {
    this.aggregator = new SpanFeatureAggregator(features);
    this.minRequests = minRequests;
  }

  /** Adds spans (in arrival order; event time follows their ends). */
  public void accept(Collection<SpanRecord> spans) {
    if (!spans.isEmpty()) {
      aggregator.accept(spans).forEach(this::add);
    }
  }

  /** Closes every open window and returns the vectors by service, oldest window first. */
  public Map<String, List<FeatureVector>> finish() {
    aggregator.flush().forEach(this::add);
    return vectors;
  }

  /** Spans that arrived after their window had closed. */
  public long lateSpans() {
    return aggregator.stats().lateSpans();
  }

  private void add(WindowFeatures w) {
    for (ServiceFeatures f : w.services().values()) {
      if (f.requests() >= minRequests) {
        vectors
            .computeIfAbsent(f.service(), s -> new ArrayList<>())
            .add(ServiceFeatureSchema.vector(f, w.start(), w.size()));
      }
    }
  }
}
