package dev.vigil.rca;

import dev.vigil.features.OperationFeatures;
import dev.vigil.features.ServiceFeatures;
import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranks candidates by the change in their <em>own</em> behaviour, weighted by how well they explain
 * the anomalous services that call them.
 *
 * <p>Candidates are the anomalous services and everything they call (a root cause may be quiet
 * enough to escape detection while its callers are not). A candidate's own change is the largest
 * robust z-score, over the incident's windows, of its self-time p95 and its own error rate (errors
 * not inherited from a failing callee), counting only changes past {@link #MIN_LATENCY_RATIO},
 * {@link #MIN_LATENCY_MILLIS} and {@link #MIN_ERROR_RATE_CHANGE}; it is compressed with {@code
 * log1p} so one very quiet baseline cannot dominate. The score is own change x (1 when the
 * candidate is anomalous, {@link #QUIET_WEIGHT} otherwise) x (0.5 + 0.5 x the share of its callers,
 * direct or not, that are anomalous). When no candidate changed on its own, the anomalous services
 * are ranked deepest first. Scores are normalised to sum to 1. O(windows x candidates + graph).
 */
final class OwnChangeRanker implements RootCauseRanker {
  static final double MIN_LATENCY_RATIO = 1.3;
  static final double MIN_LATENCY_MILLIS = 5;
  static final double MIN_ERROR_RATE_CHANGE = 0.05;
  static final double QUIET_WEIGHT = 0.6;
  private static final int MAX_EVIDENCE_CANDIDATES = 5;
  private static final int MAX_SIGNAL_EVIDENCE = 3;

  @Override
  public String name() {
    return "own_change";
  }

  @Override
  public List<RootCause> rank(IncidentEvidence incident) {
    Set<String> anomalous = incident.anomalousServices();
    if (anomalous.isEmpty()) {
      return List.of();
    }
    CallGraph graph = incident.graph();
    Set<String> candidates = new TreeSet<>(anomalous);
    anomalous.forEach(s -> candidates.addAll(graph.descendants(s)));

    Map<String, Peak> peaks = new HashMap<>();
    for (String c : candidates) {
      peaks.put(c, peak(c, incident));
    }
    Map<String, Double> scores = new HashMap<>();
    boolean anyOwnChange = peaks.values().stream().anyMatch(p -> p.own > 0);
    for (String c : candidates) {
      double score;
      if (anyOwnChange) {
        Set<String> ancestors = graph.ancestors(c);
        double explained =
            ancestors.isEmpty()
                ? (anomalous.contains(c) ? 1 : 0)
                : ancestors.stream().filter(anomalous::contains).count()
                    / (double) ancestors.size();
        score =
            peaks.get(c).own * (anomalous.contains(c) ? 1 : QUIET_WEIGHT) * (0.5 + 0.5 * explained);
      } else {
        long deeper = graph.descendants(c).stream().filter(anomalous::contains).count();
        score = anomalous.contains(c) ? maxGrade(c, incident) / (1.0 + deeper) : 0;
      }
      if (score > 0) {
        scores.put(c, score);
      }
    }
    double total = scores.values().stream().mapToDouble(Double::doubleValue).sum();
    List<String> order = new ArrayList<>(scores.keySet());
    order.sort(Comparator.comparingDouble((String s) -> -scores.get(s)).thenComparing(s -> s));
    List<RootCause> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      String s = order.get(i);
      List<String> path = graph.pathUp(s, anomalous::contains);
      List<Evidence> evidence =
          i < MAX_EVIDENCE_CANDIDATES ? evidence(s, peaks.get(s), path, incident) : List.of();
      out.add(new RootCause(s, scores.get(s) / total, anomalous.contains(s), path, evidence));
    }
    return out;
  }

  private static double maxGrade(String service, IncidentEvidence incident) {
    return incident.anomalies().stream()
        .filter(a -> a.service().equals(service))
        .mapToDouble(Anomaly::grade)
        .max()
        .orElse(0);
  }

  /** The window in which the candidate's own change was largest. */
  private static Peak peak(String service, IncidentEvidence incident) {
    Peak best = new Peak(0, null);
    for (WindowFeatures w : incident.windows()) {
      ServiceFeatures f = w.services().get(service);
      if (f == null || f.requests() == 0) {
        continue;
      }
      double own = 0;
      Optional<FeatureDeviation> self =
          incident.deviations().deviation(f, Feature.SELF_P95_LATENCY, w.size());
      if (self.isPresent() && isLatencyChange(self.get())) {
        own = Math.max(own, Math.log1p(self.get().zScore()));
      }
      Optional<FeatureDeviation> errors =
          incident.deviations().deviation(f, Feature.SELF_ERROR_RATE, w.size());
      if (errors.isPresent() && isErrorChange(errors.get())) {
        own = Math.max(own, Math.log1p(errors.get().zScore()));
      }
      if (best.window == null || own > best.own) {
        best = new Peak(own, w);
      }
    }
    return best;
  }

  static boolean isLatencyChange(FeatureDeviation d) {
    return d.zScore() > 0
        && d.actual() >= d.baseline() * MIN_LATENCY_RATIO
        && d.actual() - d.baseline() >= MIN_LATENCY_MILLIS;
  }

  static boolean isErrorChange(FeatureDeviation d) {
    return d.zScore() > 0 && d.actual() - d.baseline() >= MIN_ERROR_RATE_CHANGE;
  }

  private static List<Evidence> evidence(
      String service, Peak peak, List<String> path, IncidentEvidence incident) {
    List<Evidence> out = new ArrayList<>();
    WindowFeatures w = peak.window;
    ServiceFeatures f = w == null ? null : w.services().get(service);
    if (f != null) {
      for (Feature feature :
          List.of(
              Feature.SELF_P95_LATENCY,
              Feature.P95_LATENCY,
              Feature.SELF_ERROR_RATE,
              Feature.ERROR_RATE)) {
        incident
            .deviations()
            .deviation(f, feature, w.size())
            .filter(d -> feature.isLatency() ? isLatencyChange(d) : isErrorChange(d))
            .ifPresent(d -> out.add(metricChange(service, d)));
      }
      w.operations().stream()
          .filter(o -> o.service().equals(service))
          .max(Comparator.comparingDouble(OperationFeatures::selfP95Millis))
          .ifPresent(
              o ->
                  out.add(
                      new Evidence(
                          Evidence.SLOW_OPERATION,
                          String.format(
                              Locale.ROOT,
                              "slowest operation of %s: %s, p95 %.1f ms (%.1f ms in %s itself), %d"
                                  + " calls, %d errors",
                              service,
                              o.operation(),
                              o.p95Millis(),
                              o.selfP95Millis(),
                              service,
                              o.requests(),
                              o.errors()),
                          String.format(
                              Locale.ROOT,
                              "%s 最慢的操作：%s，p95 %.1f ms（%s 自身 %.1f ms），%d 次调用，%d 个错误",
                              service,
                              o.operation(),
                              o.p95Millis(),
                              service,
                              o.selfP95Millis(),
                              o.requests(),
                              o.errors()),
                          o.operation(),
                          "ms",
                          null,
                          o.p95Millis(),
                          o.slowestTraceId().isEmpty() ? List.of() : List.of(o.slowestTraceId()))));
    }
    out.addAll(signalChanges(service, incident));
    if (path.size() > 1) {
      out.add(
          new Evidence(
              Evidence.PROPAGATION,
              "the anomaly propagated through callers: " + String.join(" -> ", path),
              "异常沿调用方传播：" + String.join(" -> ", path),
              service,
              null,
              null,
              null,
              List.of()));
    }
    Set<String> traces = new LinkedHashSet<>();
    incident.anomalies().stream()
        .filter(a -> a.service().equals(service))
        .forEach(a -> traces.addAll(a.exemplarTraceIds()));
    if (traces.isEmpty() && f != null) {
      traces.addAll(f.errorTraceIds());
      traces.addAll(f.slowTraceIds());
    }
    if (!traces.isEmpty()) {
      List<String> ids = traces.stream().limit(5).toList();
      out.add(Evidence.exampleTraces(service, ids));
    }
    return out;
  }

  /**
   * The candidate's metric and log features that its anomalies were raised on ({@code metric:...},
   * {@code log:...} drivers), each at its largest deviation in the incident, most deviant first.
   */
  private static List<Evidence> signalChanges(String service, IncidentEvidence incident) {
    Map<String, FeatureDeviation> strongest = new LinkedHashMap<>();
    Map<String, List<String>> traces = new HashMap<>();
    for (Anomaly a : incident.anomalies()) {
      if (!a.service().equals(service)) {
        continue;
      }
      for (FeatureDeviation d : a.drivers()) {
        if (!d.feature().startsWith("metric:") && !d.feature().startsWith("log:")) {
          continue;
        }
        FeatureDeviation old = strongest.get(d.feature());
        if (old == null || Math.abs(d.zScore()) > Math.abs(old.zScore())) {
          strongest.put(d.feature(), d);
          traces.put(d.feature(), a.exemplarTraceIds());
        }
      }
    }
    return strongest.values().stream()
        .sorted(Comparator.comparingDouble((FeatureDeviation d) -> -Math.abs(d.zScore())))
        .limit(MAX_SIGNAL_EVIDENCE)
        .map(d -> signalChange(service, d, traces.get(d.feature())))
        .toList();
  }

  static Evidence signalChange(String service, FeatureDeviation d, List<String> traces) {
    String feature = d.feature();
    String what;
    String whatZh;
    if (feature.startsWith("metric:")) {
      int last = feature.lastIndexOf(':');
      String metric = feature.substring("metric:".length(), last);
      String statistic = feature.substring(last + 1);
      what = metric + " (" + statistic + ")";
      whatZh = "指标 " + metric + "（" + statistic + "）";
    } else {
      String name = feature.substring("log:".length());
      what =
          switch (feature) {
            case "log:error_rate" -> "error-log rate";
            case "log:error_share" -> "share of error logs";
            case "log:errors" -> "error logs per window";
            default -> name.replace('_', ' ');
          };
      whatZh =
          switch (feature) {
            case "log:error_rate" -> "错误日志速率";
            case "log:error_share" -> "错误日志占比";
            case "log:errors" -> "每个窗口的错误日志数";
            default -> "日志特征 " + name;
          };
    }
    String unit = d.unit().isEmpty() || d.unit().equals("1") ? "" : " " + d.unit();
    boolean rose = d.zScore() >= 0;
    String text =
        String.format(
            Locale.ROOT,
            "%s of %s %s from %.4g%s to %.4g%s (robust z %.1f)",
            what,
            service,
            rose ? "rose" : "fell",
            d.baseline(),
            unit,
            d.actual(),
            unit,
            d.zScore());
    String textZh =
        String.format(
            Locale.ROOT,
            "%s%s从 %.4g%s %s %.4g%s（稳健 z 值 %.1f）",
            service,
            ofZh(whatZh),
            d.baseline(),
            unit,
            rose ? "升至" : "降至",
            d.actual(),
            unit,
            d.zScore());
    return new Evidence(
        Evidence.METRIC_CHANGE, text, textZh, feature, d.unit(), d.baseline(), d.actual(), traces);
  }

  static Evidence metricChange(String service, FeatureDeviation d) {
    String what =
        switch (d.feature()) {
          case "self_p95_latency" -> "self-time p95 (excluding downstream calls)";
          case "p95_latency" -> "p95 latency";
          case "p50_latency" -> "median latency";
          case "error_rate" -> "error rate";
          case "self_error_rate" -> "own error rate (not from callees)";
          default -> d.feature().replace('_', ' ');
        };
    String whatZh =
        switch (d.feature()) {
          case "self_p95_latency" -> "自身耗时 p95（不含下游调用）";
          case "p95_latency" -> "p95 延迟";
          case "p50_latency" -> "中位延迟";
          case "error_rate" -> "错误率";
          case "self_error_rate" -> "自身错误率（非下游导致）";
          default -> d.feature();
        };
    String text =
        d.unit().equals("ratio")
            ? String.format(
                Locale.ROOT,
                "%s of %s rose from %.1f%% to %.1f%% (robust z %.1f)",
                what,
                service,
                100 * d.baseline(),
                100 * d.actual(),
                d.zScore())
            : String.format(
                Locale.ROOT,
                "%s of %s rose from %.1f %s to %.1f %s (robust z %.1f)",
                what,
                service,
                d.baseline(),
                d.unit(),
                d.actual(),
                d.unit(),
                d.zScore());
    String textZh =
        d.unit().equals("ratio")
            ? String.format(
                Locale.ROOT,
                "%s%s从 %.1f%% 升至 %.1f%%（稳健 z 值 %.1f）",
                service,
                ofZh(whatZh),
                100 * d.baseline(),
                100 * d.actual(),
                d.zScore())
            : String.format(
                Locale.ROOT,
                "%s%s从 %.1f %s 升至 %.1f %s（稳健 z 值 %.1f）",
                service,
                ofZh(whatZh),
                d.baseline(),
                d.unit(),
                d.actual(),
                d.unit(),
                d.zScore());
    return new Evidence(
        Evidence.METRIC_CHANGE,
        text,
        textZh,
        d.feature(),
        d.unit(),
        d.baseline(),
        d.actual(),
        List.of());
  }

  /** " 的" before a Chinese name, " 的 " before one that starts with a Latin letter or digit. */
  private static String ofZh(String name) {
    char c = name.isEmpty() ? ' ' : name.charAt(0);
    boolean latin = c < 0x80 && Character.isLetterOrDigit(c);
    return (latin ? " 的 " : " 的") + name;
  }

  private record Peak(double own, WindowFeatures window) {}
}
