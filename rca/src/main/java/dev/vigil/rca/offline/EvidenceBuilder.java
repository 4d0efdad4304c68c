package dev.vigil.rca.offline;

import dev.vigil.rca.Evidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The evidence behind a candidate: the change of what its requests do ({@link EventPatternRanker},
 * when the recording has the requests), the series of its own that changed (before and after, with
 * units), its slowest operations during the incident with example trace ids, and the path along
 * which the change reaches the symptom.
 */
final class EvidenceBuilder {
  static final int MAX_CHANGES = 3;
  static final int MAX_OPERATIONS = 2;
  static final int MAX_TRACES = 3;

  private final IncidentData incident;
  private final Map<String, List<SeriesChange>> own;

  private final Map<String, List<TraceExample>> examples = new HashMap<>();
  private Map<String, Map.Entry<CallPattern.OperationKey, EventPatternRanker.Change>> patterns;

  EvidenceBuilder(IncidentData incident) {
    this.incident = incident;
    this.own = incident.ownChangesByService();
    for (TraceExample e : incident.index().examples()) {
      if (e.startMillis() >= incident.incidentMillis()
          && e.startMillis() < incident.abnormalToMillis()) {
        examples.computeIfAbsent(e.service(), k -> new ArrayList<>()).add(e);
      }
    }
  }

  /**
   * The finer-grained cause: the operation whose requests changed (with the event that changed
   * most) when the service was ranked mostly for that, else what its strongest own change points
   * at, else that operation, or empty.
   *
   * @param requestLed whether the service's place is owed mostly to what its requests did
   */
  String component(String service, boolean requestLed) {
    var p = patterns().get(service);
    List<SeriesChange> changes = own.getOrDefault(service, List.of());
    if ((p == null || !requestLed) && !changes.isEmpty() && changes.get(0).score() > 0) {
      return changes.get(0).key().pointsAt();
    }
    return p == null
        ? ""
        : "operation " + p.getKey().operation() + " (" + p.getValue().event() + ")";
  }

  /** The strongest changed operation of each service that does not only relay a change. */
  private Map<String, Map.Entry<CallPattern.OperationKey, EventPatternRanker.Change>> patterns() {
    if (patterns == null) {
      patterns = new HashMap<>();
      EventPatternRanker.rootOperations(incident)
          .forEach(
              (op, c) ->
                  patterns.merge(
                      op.service(),
                      Map.entry(op, c),
                      (a, b) ->
                          b.getValue().strength() > a.getValue().strength()
                                  || (b.getValue().strength() == a.getValue().strength()
                                      && b.getKey().operation().compareTo(a.getKey().operation())
                                          < 0)
                              ? b
                              : a));
    }
    return patterns;
  }

  /**
   * The evidence of a ranked service: how it was seen (when only through its callers), what its
   * requests did and its strongest own changes, in the order of what ranked it (the changed
   * operation first when {@code requestLed}, after the changes otherwise), its slowest operations,
   * the path to the symptom and example traces.
   */
  List<Evidence> of(String service, boolean requestLed) {
    List<Evidence> out = new ArrayList<>();
    if (incident.index().inferredServices().contains(service)) {
      out.add(inferred(service));
    }
    var p = patterns().get(service);
    if (p != null && requestLed) {
      out.add(requestPattern(p.getKey(), p.getValue()));
    }
    int changes = 0;
    for (SeriesChange c : own.getOrDefault(service, List.of())) {
      if (changes >= MAX_CHANGES - (p == null ? 0 : 1) || c.score() <= 0) {
        break;
      }
      out.add(change(c, agreement(service, c), late(c)));
      changes++;
    }
    if (p != null && !requestLed) {
      out.add(requestPattern(p.getKey(), p.getValue()));
    }
    Set<String> traces = new LinkedHashSet<>();
    for (Evidence e : slowOperations(service)) {
      out.add(e);
      traces.addAll(e.traceIds());
    }
    List<String> path = incident.graph().pathToSymptom(service);
    if (path.size() > 1) {
      out.add(
          new Evidence(
              Evidence.PROPAGATION,
              "the change reaches the entry point through its callers: "
                  + String.join(" -> ", path),
              "变化经由调用方到达入口：" + String.join(" -> ", path),
              service,
              null,
              null,
              null,
              List.of()));
    }
    if (!traces.isEmpty()) {
      List<String> ids = traces.stream().limit(MAX_TRACES).toList();
      out.add(Evidence.exampleTraces(service, ids));
    }
    return out;
  }

  /** An uninstrumented service: where it was seen from. */
  private Evidence inferred(String service) {
    List<String> callers = new ArrayList<>(incident.graph().callers(service));
    callers.sort(Comparator.naturalOrder());
    String list = String.join(", ", callers);
    return new Evidence(
        Evidence.INFERRED_SERVICE,
        service
            + " has no spans of its own: it was seen only from its callers' client spans ("
            + list
            + "), which measured its latency and errors",
        service + " 没有自己的 span：只在其调用方的客户端 span 中出现（" + list + "），其延迟和错误由这些 span 测得",
        service,
        null,
        null,
        null,
        List.of());
  }

  /** {@link CallGapAgreement#agreement} of a call gap with the service's other gaps, else 1. */
  private double agreement(String service, SeriesChange c) {
    if (c.key().kind() != SeriesKind.CALL_GAP) {
      return 1;
    }
    List<SeriesChange> gaps = new ArrayList<>();
    for (SeriesChange o : own.getOrDefault(service, List.of())) {
      if (o.key().kind() == SeriesKind.CALL_GAP) {
        gaps.add(o);
      }
    }
    return CallGapAgreement.agreement(c, gaps);
  }

  /**
   * What a change had reached by the onset tolerance after the incident ({@link
   * RobustStats#reachedBy}) when that is less than its change, so that it counted only that far;
   * else null.
   */
  private Clause late(SeriesChange c) {
    long t = incident.incidentMillis();
    long tolerance = incident.config().onsetTolerance().toMillis();
    double d = c.after() - c.before();
    double reached =
        RobustStats.reachedBy(
            c.series(), c.before(), d, t, t + tolerance, incident.abnormalToMillis());
    if (!(Math.abs(reached - c.before()) < Math.abs(d))) {
      return null;
    }
    String within =
        tolerance % 60_000 == 0 ? tolerance / 60_000 + " min" : tolerance / 1_000 + " s";
    String value = withUnit(reached, c.key().unit());
    return new Clause(
        String.format(
            Locale.ROOT,
            "; %s after the incident it had reached only %s, so it counts that far",
            within,
            value),
        String.format(Locale.ROOT, "；事件后 %s 内仅达到 %s，按此计入", within, value));
  }

  /** A clause added to a sentence, in English and Chinese. */
  private record Clause(String text, String textZh) {}

  private static Evidence change(SeriesChange c, double agreement, Clause late) {
    SeriesKey k = c.key();
    String direction = c.after() >= c.before() ? "rose" : "fell";
    String shared =
        agreement < 1
            ? String.format(
                Locale.ROOT,
                "; the other callers' gaps into %s grew at most %.0f%% as much, so it counts at"
                    + " that share",
                k.service(),
                100 * agreement)
            : "";
    String sharedZh =
        agreement < 1
            ? String.format(
                Locale.ROOT, "；其他调用方到 %s 的间隔最多只增长了其 %.0f%%，按此比例计入", k.service(), 100 * agreement)
            : "";
    String text =
        String.format(
            Locale.ROOT,
            "%s %s from %s to %s (robust score %.1f, %.1f times its usual deviation%s)",
            k.kind().metric() ? k.describe() : capitalised(k.describe()),
            direction,
            withUnit(c.before(), k.unit()),
            withUnit(c.after(), k.unit()),
            c.rawScore(),
            c.score(),
            shared + (late == null ? "" : late.text()));
    String textZh =
        String.format(
            Locale.ROOT,
            "%s从 %s %s %s（稳健分数 %.1f，为其通常偏差的 %.1f 倍%s）",
            k.describeZh(),
            withUnit(c.before(), k.unit()),
            c.after() >= c.before() ? "升至" : "降至",
            withUnit(c.after(), k.unit()),
            c.rawScore(),
            c.score(),
            sharedZh + (late == null ? "" : late.textZh()));
    return new Evidence(
        Evidence.METRIC_CHANGE,
        text,
        textZh,
        k.describe(),
        k.unit().isEmpty() ? null : k.unit(),
        c.before(),
        c.after(),
        List.of());
  }

  private static Evidence requestPattern(CallPattern.OperationKey op, EventPatternRanker.Change c) {
    String text =
        String.format(
            Locale.ROOT,
            "Requests of %s changed: %s in %.0f%% of %d requests before the incident, %.0f%% of %d"
                + " during it (at least %.0f%% of the requests changed, 95%% confidence)",
            op.operation(),
            c.event(),
            100 * c.before(),
            c.normalRequests(),
            100 * c.after(),
            c.abnormalRequests(),
            100 * c.strength());
    String textZh =
        String.format(
            Locale.ROOT,
            "%s 的请求发生了变化：%s 在事件前出现于 %d 个请求中的 %.0f%%，事件期间为 %d 个请求中的 %.0f%%"
                + "（95%% 置信度下至少 %.0f%% 的请求发生了变化）",
            op.operation(),
            c.event(),
            c.normalRequests(),
            100 * c.before(),
            c.abnormalRequests(),
            100 * c.after(),
            100 * c.strength());
    return new Evidence(
        Evidence.REQUEST_PATTERN,
        text,
        textZh,
        op.operation(),
        "ratio",
        c.before(),
        c.after(),
        List.of());
  }

  private List<Evidence> slowOperations(String service) {
    Map<String, List<TraceExample>> byOperation = new HashMap<>();
    for (TraceExample e : examples.getOrDefault(service, List.of())) {
      byOperation.computeIfAbsent(e.operation(), k -> new ArrayList<>()).add(e);
    }
    Map<String, Double> normal = new HashMap<>();
    for (SeriesChange c : incident.changes()) {
      if (c.key().service().equals(service) && c.key().kind() == SeriesKind.LATENCY) {
        normal.put(c.key().component(), c.before());
      }
    }
    List<Map.Entry<String, List<TraceExample>>> ops = new ArrayList<>(byOperation.entrySet());
    ops.forEach(
        e -> e.getValue().sort(Comparator.comparingDouble(TraceExample::latencyMillis).reversed()));
    ops.sort(
        Comparator.comparingDouble(
                (Map.Entry<String, List<TraceExample>> e) -> -e.getValue().get(0).latencyMillis())
            .thenComparing(Map.Entry::getKey));
    List<Evidence> out = new ArrayList<>();
    for (Map.Entry<String, List<TraceExample>> e :
        ops.subList(0, Math.min(MAX_OPERATIONS, ops.size()))) {
      double slowest = e.getValue().get(0).latencyMillis();
      Double before = normal.get(e.getKey());
      List<String> ids =
          e.getValue().stream().map(TraceExample::traceId).distinct().limit(MAX_TRACES).toList();
      boolean known = before != null && !before.isNaN();
      String usual = known ? ", median before the incident " + withUnit(before, "ms") : "";
      String usualZh = known ? "，事件前中位数 " + withUnit(before, "ms") : "";
      out.add(
          new Evidence(
              Evidence.SLOW_OPERATION,
              String.format(
                  Locale.ROOT,
                  "slowest operation of %s during the incident: %s, up to %s%s; traces %s",
                  service,
                  e.getKey(),
                  withUnit(slowest, "ms"),
                  usual,
                  String.join(", ", ids)),
              String.format(
                  Locale.ROOT,
                  "事件期间 %s 最慢的操作：%s，最长 %s%s；追踪 %s",
                  service,
                  e.getKey(),
                  withUnit(slowest, "ms"),
                  usualZh,
                  String.join(", ", ids)),
              e.getKey(),
              "ms",
              known ? before : null,
              slowest,
              ids));
    }
    return out;
  }

  static String withUnit(double v, String unit) {
    String n;
    double a = Math.abs(v);
    if (Double.isNaN(v)) {
      n = "n/a";
    } else if (a >= 100 || a == Math.rint(a)) {
      n = String.format(Locale.ROOT, "%.0f", v);
    } else if (a >= 1) {
      n = String.format(Locale.ROOT, "%.2f", v);
    } else {
      n = String.format(Locale.ROOT, "%.3g", v);
    }
    if (unit == null || unit.isEmpty() || unit.equals("1")) {
      return n;
    }
    return unit.equals("ratio") ? n + " (ratio)" : n + " " + unit;
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
