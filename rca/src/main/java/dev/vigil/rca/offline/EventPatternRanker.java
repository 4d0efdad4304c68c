package dev.vigil.rca.offline;

import dev.vigil.features.SeverityClass;
import dev.vigil.rca.offline.CallPattern.OperationKey;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.special.Erf;

/**
 * Which service started doing something different with its requests, in the manner of Nezha's event
 * patterns (Yu et al., "Nezha: Interpretable Fine-Grained Root Causes Analysis for Microservices on
 * Multi-modal Observability Data", ESEC/FSE 2023): the events of each request ({@link CallPattern}:
 * the log statements it reached, its local spans, the operations it called, an error status) are
 * compared between the normal and the abnormal requests <em>of the same operation</em>, so a change
 * of the workload mix (other operations, other callers) cancels out, while a statement that the
 * requests used to reach and no longer do, or a new one, is a change of that operation.
 *
 * <p>For every operation and every event, the share of requests that have it in the normal window
 * is compared with the share in the abnormal window. An event counts as changed when the
 * two-proportion z-test says so ({@link #Z_THRESHOLD}); its strength is the lower end of the 95%
 * confidence interval of the difference of the two shares (Agresti and Caffo, "Simple and Effective
 * Confidence Intervals for Proportions and Differences of Proportions Result from Adding Two
 * Successes and Two Failures", The American Statistician 54(4), 2000): the share of the operation's
 * requests that, with 95% confidence at least, changed behaviour. So the strength is on an absolute
 * scale from 0 to 1 ({@link #absoluteScores()}): a shift of a parameter-dependent branch from 90%
 * to 60% of many requests is significant but weak (about 0.2), a statement all requests reached
 * vanishing is strong (close to 1), and few requests give a wide interval and a weak strength. Log
 * events count only over the requests the recording has logs around ({@link
 * CallPattern#logCovered()}).
 *
 * <p>A changed operation that calls, directly or through operations of its own service, a changed
 * operation of another service may only relay that change (a caller that gets a wrong answer takes
 * another path too), so, as Nezha prefers the deepest pattern, the change is credited to the
 * deepest changed operations of a chain of changed ones. An operation of another service whose
 * requests did not change ends the chain: what it answered did not change in any way its events
 * show, so a weak change further down (a busy service's parameter mix) does not take the credit of
 * a strong one above it. A service scores the largest strength of its own such operations.
 *
 * <p>The windows follow {@link AnalysisConfig}: the abnormal window starts {@link
 * AnalysisConfig#onsetTolerance()} before the incident time, and the normal window ends there. A
 * normal window of hours holds earlier incidents too; an operation's requests in the stretches
 * where it failed on its own (not relaying a failure of what it called) are not its usual behaviour
 * and are left out of its normal requests ({@link #ownIncidents}), the way {@link
 * RobustStats#usualDeviation} leaves earlier incidents out of a series' usual deviation. A
 * recording that begins within the onset tolerance is split at the incident time instead ({@link
 * #onset}). Only events of operations with normal requests and at least {@link
 * #MIN_ABNORMAL_REQUESTS} abnormal ones (with logs, for log events) are tested, each by a test
 * valid at its counts ({@link #significant}). Requests that did the same are grouped once per
 * recording, O(requests x events); an incident time then costs O(groups x (stretches + log requests
 * + events) + operations x call-graph edges).
 */
final class EventPatternRanker implements IncidentRanker {
  /** |z| from which a change of an event's share counts (about p < 0.003 two-sided). */
  static final double Z_THRESHOLD = 3.0;

  /** The normal quantile of the two-sided 95% interval whose lower end is the strength. */
  static final double CONFIDENCE_Z = 1.96;

  static final int MIN_ABNORMAL_REQUESTS = 3;

  /**
   * How many requests the least failing stretches must hold before a stretch is tested against them
   * for an earlier incident ({@link #raised}). The test there is the z-test, liberal at the few
   * requests of a stretch, on purpose: leaving out a stretch wrongly only shrinks the normal
   * sample, while keeping an earlier failure in it hides the incident.
   */
  static final int MIN_KEPT_REQUESTS = 5;

  /**
   * How one operation's requests changed: its strongest changed event.
   *
   * @param event the event (a local span, a called {@code service:operation}, {@link
   *     CallPattern#ERROR_STATUS} or a log template)
   * @param before the share of normal requests that had it
   * @param after the share of abnormal requests that had it
   * @param normalRequests how many normal requests the shares are of
   * @param abnormalRequests how many abnormal requests
   * @param strength the lower end of the 95% interval of the change of share, in (0, 1]
   */
  record Change(
      String event,
      double before,
      double after,
      long normalRequests,
      long abnormalRequests,
      double strength) {}

  @Override
  public String name() {
    return "event_pattern";
  }

  @Override
  public boolean absoluteScores() {
    return true;
  }

  @Override
  public Map<String, Double> scores(IncidentData incident) {
    Map<String, Double> out = new HashMap<>();
    rootOperations(incident).forEach((op, c) -> out.merge(op.service(), c.strength(), Math::max));
    return out;
  }

  @Override
  public boolean scoresRequests() {
    return true;
  }

  /**
   * The changed operations that do not only relay a change of another service's operation they
   * call, among the incident's candidates. The last result is kept per thread for the same incident
   * (the ensemble scores it, then the evidence describes it).
   */
  static Map<OperationKey, Change> rootOperations(IncidentData incident) {
    Last last = LAST.get();
    if (last != null && last.incident().get() == incident) {
      return last.roots();
    }
    Map<OperationKey, Counts> counts = counts(incident);
    Map<OperationKey, Change> changed = changed(counts);
    Set<String> candidates = incident.candidates();
    Map<OperationKey, Change> out = new HashMap<>();
    changed.forEach(
        (op, c) -> {
          if (candidates.contains(op.service()) && !relays(op, changed, counts)) {
            out.put(op, c);
          }
        });
    Map<OperationKey, Change> roots = Map.copyOf(out);
    LAST.set(new Last(new WeakReference<>(incident), roots));
    return roots;
  }

  /** The root operations of the incident last ranked on this thread. */
  private record Last(WeakReference<IncidentData> incident, Map<OperationKey, Change> roots) {}

  private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

  /**
   * Whether {@code op} calls a changed operation of another service, directly or through operations
   * of its own service. A change travels up a chain of requests that changed: an operation of
   * another service whose requests did not change answered as it used to, so a change below it is
   * not what {@code op}'s requests relay.
   */
  private static boolean relays(
      OperationKey op, Map<OperationKey, Change> changed, Map<OperationKey, Counts> counts) {
    Set<OperationKey> seen = new HashSet<>();
    Deque<OperationKey> stack = new ArrayDeque<>(calleesOf(op, counts));
    while (!stack.isEmpty()) {
      OperationKey c = stack.pop();
      if (!seen.add(c)) {
        continue;
      }
      if (!c.service().equals(op.service())) {
        if (changed.containsKey(c)) {
          return true;
        }
        continue;
      }
      stack.addAll(calleesOf(c, counts));
    }
    return false;
  }

  private static Set<OperationKey> calleesOf(OperationKey op, Map<OperationKey, Counts> counts) {
    Counts c = counts.get(op);
    return c == null ? Set.of() : c.abnormalCallees;
  }

  /** The operations whose requests changed, each with its strongest changed event. */
  static Map<OperationKey, Change> changedOperations(IncidentData incident) {
    return changed(counts(incident));
  }

  private static Map<OperationKey, Change> changed(Map<OperationKey, Counts> counts) {
    Map<OperationKey, Change> out = new HashMap<>();
    counts.forEach(
        (op, c) -> {
          Change change = c.strongest();
          if (change != null) {
            out.put(op, change);
          }
        });
    return out;
  }

  /**
   * Each operation's event counts and abnormal callees. The normal requests leave out the stretches
   * of the normal window in which the operation failed on its own ({@link #ownIncidents}).
   */
  private static Map<OperationKey, Counts> counts(IncidentData incident) {
    List<Group> groups = groups(incident.index().callPatterns());
    long onset = onset(incident, groups);
    long from = incident.normalFromMillis();
    long stretch = incident.config().onsetTolerance().toMillis();
    int stretches = (int) Math.max(0, (onset - from + stretch - 1) / stretch);
    Map<OperationKey, BitSet> leftOut = ownIncidents(groups, onset, from, stretch, stretches);
    Map<OperationKey, Counts> counts = new HashMap<>();
    for (Group g : groups) {
      BitSet out = leftOut.get(g.pattern().key());
      long normal = 0;
      if (out == null) {
        normal = g.between(from, onset);
      } else {
        for (int k = 0; k < stretches; k++) {
          if (!out.get(k)) {
            normal += g.between(Math.max(from, onset - (k + 1) * stretch), onset - k * stretch);
          }
        }
      }
      long abnormal = g.between(onset, incident.abnormalToMillis());
      if (normal + abnormal > 0) {
        Counts c = counts.computeIfAbsent(g.pattern().key(), k -> new Counts());
        c.add(0, g.pattern(), normal);
        c.add(1, g.pattern(), abnormal);
      }
    }
    return counts;
  }

  /**
   * The stretches of the normal window (of the onset tolerance each, counted back from the onset:
   * stretch k is [onset - (k + 1) tolerance, onset - k tolerance)) in which an operation failed on
   * its own: an earlier incident of that operation, whose requests are not its usual behaviour.
   *
   * <p>A request failed when it has {@link CallPattern#ERROR_STATUS} or an error-level log line.
   * Per operation, the stretches are taken from the least failing up, each kept unless its share of
   * failed requests is significantly above that of those kept ({@link #Z_THRESHOLD}); it and all
   * stretches above it are raised. A raised stretch is left out only when none of the operations of
   * other services that the operation called was itself raised in it: then the failure was the
   * operation's own, while a failure its callee had too is relayed, as a caller's error lines are
   * at every incident of a service it calls, and stays usual. O(groups x stretches).
   */
  private static Map<OperationKey, BitSet> ownIncidents(
      List<Group> groups, long onset, long from, long stretch, int stretches) {
    Map<OperationKey, long[][]> perStretch = new HashMap<>();
    Map<OperationKey, Set<OperationKey>> callees = new HashMap<>();
    for (Group g : groups) {
      boolean failed = failed(g.pattern());
      long[][] c = null;
      for (int k = 0; k < stretches; k++) {
        long n = g.between(Math.max(from, onset - (k + 1) * stretch), onset - k * stretch);
        if (n > 0) {
          if (c == null) {
            c = perStretch.computeIfAbsent(g.pattern().key(), x -> new long[2][stretches]);
            callees
                .computeIfAbsent(g.pattern().key(), x -> new HashSet<>())
                .addAll(g.pattern().callees());
          }
          c[0][k] += n;
          if (failed) {
            c[1][k] += n;
          }
        }
      }
    }
    Map<OperationKey, BitSet> raised = new HashMap<>();
    perStretch.forEach(
        (op, c) -> {
          BitSet r = raised(c[0], c[1]);
          if (!r.isEmpty()) {
            raised.put(op, r);
          }
        });
    Map<OperationKey, BitSet> out = new HashMap<>();
    raised.forEach(
        (op, r) -> {
          BitSet own = (BitSet) r.clone();
          for (OperationKey callee : callees.getOrDefault(op, Set.of())) {
            BitSet theirs = raised.get(callee);
            if (theirs != null && !callee.service().equals(op.service())) {
              own.andNot(theirs);
            }
          }
          if (!own.isEmpty()) {
            out.put(op, own);
          }
        });
    return out;
  }

  /**
   * The stretches whose share of failed requests stands significantly above the rest's, with the
   * partly failed stretches at their edges.
   */
  private static BitSet raised(long[] requests, long[] failed) {
    Integer[] used =
        IntStream.range(0, requests.length)
            .filter(k -> requests[k] > 0)
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(
        used,
        (x, y) ->
            Double.compare((double) failed[x] / requests[x], (double) failed[y] / requests[y]));
    BitSet out = new BitSet();
    long keptFailed = 0;
    long kept = 0;
    for (int i = 0; i < used.length; i++) {
      int k = used[i];
      if (kept >= MIN_KEPT_REQUESTS
          && failed[k] * kept > keptFailed * requests[k]
          && twoProportionZ(keptFailed, kept, failed[k], requests[k]) >= Z_THRESHOLD) {
        for (int j = i; j < used.length; j++) {
          out.set(used[j]);
        }
        break;
      }
      kept += requests[k];
      keptFailed += failed[k];
    }
    // an incident's first and last stretches hold only part of it: a stretch next to a raised one
    // (empty stretches between them aside) that failed more than the kept ones is part of it
    boolean grown = !out.isEmpty();
    while (grown) {
      grown = false;
      kept = 0;
      keptFailed = 0;
      for (int k = 0; k < requests.length; k++) {
        if (!out.get(k)) {
          kept += requests[k];
          keptFailed += failed[k];
        }
      }
      for (int k = out.nextSetBit(0); k >= 0; k = out.nextSetBit(k + 1)) {
        for (int step = -1; step <= 1; step += 2) {
          int j = k + step;
          while (j >= 0 && j < requests.length && requests[j] == 0) {
            j += step;
          }
          if (j >= 0
              && j < requests.length
              && !out.get(j)
              && failed[j] * kept > keptFailed * requests[j]) {
            out.set(j);
            grown = true;
          }
        }
      }
    }
    return out;
  }

  /** Whether a request failed: an error status, or a log line at an error level. */
  private static boolean failed(CallPattern p) {
    if (p.features().contains(CallPattern.ERROR_STATUS)) {
      return true;
    }
    for (String e : p.logEvents()) {
      String template = LogSeries.templateOf(e);
      if (template != null && SeverityClass.inferFromLine(template).isError()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Requests that did the same (one operation, the same events), with their sorted start times: a
   * recording has far fewer of these than requests, so an incident time splits them by binary
   * search. Grouped once per recording: the last grouping is kept per thread for the same list.
   */
  private record Group(CallPattern pattern, long[] starts) {
    long between(long from, long to) {
      return Math.max(0, lowerBound(starts, to) - lowerBound(starts, from));
    }
  }

  private record Grouped(WeakReference<List<CallPattern>> patterns, List<Group> groups) {}

  private static final ThreadLocal<Grouped> GROUPED = new ThreadLocal<>();

  private static List<Group> groups(List<CallPattern> patterns) {
    Grouped last = GROUPED.get();
    if (last != null && last.patterns().get() == patterns) {
      return last.groups();
    }
    Map<CallPattern, List<Long>> byPattern = new HashMap<>();
    for (CallPattern p : patterns) {
      CallPattern signature =
          new CallPattern(
              p.service(),
              p.operation(),
              0,
              p.features(),
              p.callees(),
              p.logEvents(),
              p.logCovered());
      byPattern.computeIfAbsent(signature, k -> new ArrayList<>()).add(p.startMillis());
    }
    List<Group> out = new ArrayList<>();
    byPattern.forEach(
        (p, times) -> {
          long[] t = times.stream().mapToLong(Long::longValue).toArray();
          Arrays.sort(t);
          out.add(new Group(p, t));
        });
    GROUPED.set(new Grouped(new WeakReference<>(patterns), out));
    return out;
  }

  /** The index of the first element not below {@code key}. */
  private static int lowerBound(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Where the normal requests end and the abnormal ones begin: the onset tolerance before the
   * incident, or the incident time itself when the recording has no request before that (it began
   * within the tolerance, so the requests before the incident are all there is to compare with;
   * those of the onset among them can only make a change look smaller, never create one).
   */
  private static long onset(IncidentData incident, List<Group> groups) {
    long onset = incident.incidentMillis() - incident.config().onsetTolerance().toMillis();
    long first = Long.MAX_VALUE;
    for (Group g : groups) {
      first = Math.min(first, g.starts()[0]);
    }
    return first >= onset ? incident.incidentMillis() : onset;
  }

  /** Mutable per-operation request and event counts of the two windows. */
  private static final class Counts {
    final long[] requests = new long[2];
    final long[] logged = new long[2];
    final Map<String, long[]> features = new HashMap<>();
    final Map<String, long[]> logEvents = new HashMap<>();
    final Set<OperationKey> abnormalCallees = new HashSet<>();

    /** Adds {@code n} requests that did what {@code p} did. */
    void add(int window, CallPattern p, long n) {
      if (n == 0) {
        return;
      }
      requests[window] += n;
      if (window == 1) {
        abnormalCallees.addAll(p.callees());
      }
      for (String f : p.features()) {
        features.computeIfAbsent(f, k -> new long[2])[window] += n;
      }
      if (p.logCovered()) {
        logged[window] += n;
        for (String e : p.logEvents()) {
          logEvents.computeIfAbsent(e, k -> new long[2])[window] += n;
        }
      }
    }

    /** The strongest changed event, or null. Ties go to the event that sorts first. */
    Change strongest() {
      Change best = strongest(features, requests, null);
      return strongest(logEvents, logged, best);
    }

    private static Change strongest(Map<String, long[]> events, long[] n, Change best) {
      if (n[0] == 0 || n[1] < MIN_ABNORMAL_REQUESTS) {
        return best;
      }
      for (Map.Entry<String, long[]> e : events.entrySet()) {
        long[] k = e.getValue();
        if (!significant(k[0], n[0], k[1], n[1])) {
          continue;
        }
        double s = strength(k[0], n[0], k[1], n[1]);
        if (s > 0
            && (best == null
                || s > best.strength()
                || (s == best.strength() && e.getKey().compareTo(best.event()) < 0))) {
          best = new Change(e.getKey(), (double) k[0] / n[0], (double) k[1] / n[1], n[0], n[1], s);
        }
      }
      return best;
    }
  }

  /**
   * Whether an event's share of the normal requests ({@code k0} of {@code n0}) and of the abnormal
   * ones ({@code k1} of {@code n1}) differ at the two-sided level of |z| = {@link #Z_THRESHOLD}: by
   * the two-proportion z-test where its normal approximation holds (every expected count of the 2x2
   * table at least {@link #COCHRAN_MIN_EXPECTED}, Cochran's rule), else by Fisher's exact test. So
   * a few requests on one side are judged by what they can show, without a fixed minimum: four
   * normal requests that all logged a statement no abnormal one of twenty reaches are a change (p =
   * 1 / C(24, 4)), two are not (p = 1 / C(22, 2) = 0.004). O(1), or O(the table's support) where
   * the exact test runs, which is small there.
   */
  static boolean significant(long k0, long n0, long k1, long n1) {
    long n = n0 + n1;
    long k = k0 + k1;
    double minExpected = (double) Math.min(n0, n1) * Math.min(k, n - k) / Math.max(1, n);
    if (minExpected >= COCHRAN_MIN_EXPECTED) {
      return twoProportionZ(k0, n0, k1, n1) >= Z_THRESHOLD;
    }
    return fisherExactP(k0, n0, k1, n1) <= P_THRESHOLD;
  }

  /** The expected count of every cell from which the z-test's approximation is trusted. */
  static final double COCHRAN_MIN_EXPECTED = 5;

  /** The two-sided p-value of |z| = {@link #Z_THRESHOLD} (0.0027). */
  static final double P_THRESHOLD = Erf.erfc(Z_THRESHOLD / Math.sqrt(2));

  /**
   * The two-sided p-value of Fisher's exact test of the 2x2 table (k0, n0 - k0; k1, n1 - k1): the
   * probability, with the margins fixed, of the tables no more likely than this one (the
   * hypergeometric distribution of the normal requests' count of the event).
   */
  static double fisherExactP(long k0, long n0, long k1, long n1) {
    int n = Math.toIntExact(n0 + n1);
    int k = Math.toIntExact(k0 + k1);
    HypergeometricDistribution h = new HypergeometricDistribution(null, n, k, (int) n0);
    double observed = h.probability((int) k0);
    double p = 0;
    for (int x = h.getSupportLowerBound(); x <= h.getSupportUpperBound(); x++) {
      double px = h.probability(x);
      if (px <= observed * (1 + 1e-7)) {
        p += px;
      }
    }
    return Math.min(1, p);
  }

  /**
   * |z| of the difference of two proportions with the pooled standard error; the pooled share is
   * kept off 0 and 1 by half a request so that a feature that appears or vanishes entirely still
   * has a finite z.
   */
  static double twoProportionZ(long k0, long n0, long k1, long n1) {
    double p0 = (double) k0 / n0;
    double p1 = (double) k1 / n1;
    double pooled = (k0 + k1 + 0.5) / (n0 + n1 + 1.0);
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n0 + 1.0 / n1));
    return Math.abs(p1 - p0) / se;
  }

  /**
   * The lower end of the Agresti-Caffo 95% interval of {@code |p1 - p0|} (one success and one
   * failure added to each sample), or 0 when the interval includes 0.
   */
  static double strength(long k0, long n0, long k1, long n1) {
    double a0 = (k0 + 1.0) / (n0 + 2.0);
    double a1 = (k1 + 1.0) / (n1 + 2.0);
    double se = Math.sqrt(a0 * (1 - a0) / (n0 + 2.0) + a1 * (1 - a1) / (n1 + 2.0));
    return Math.max(0, Math.abs(a1 - a0) - CONFIDENCE_Z * se);
  }
}
