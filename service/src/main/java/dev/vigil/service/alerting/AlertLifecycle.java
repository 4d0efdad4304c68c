package dev.vigil.service.alerting;

import dev.vigil.features.WindowFeatures;
import dev.vigil.models.Anomaly;
import dev.vigil.models.forecast.PredictiveAlert;
import dev.vigil.rca.Incident;
import dev.vigil.rca.IncidentTracker;
import dev.vigil.rca.TimeOrderedIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The lifecycle of per-service alerts. An alert fires once a service has been anomalous for {@code
 * pendingWindows} consecutive windows (Prometheus' {@code for:} clause: one anomalous window on its
 * own is published as an anomaly but pages nobody) and resolves after {@code quietWindows} windows
 * without an anomaly of that service; a window in which its service is unsettled (deviating, with
 * too little evidence to be flagged) does not count as quiet. While it fires it is reported once
 * (de-duplicated: one alert per service, whatever the number of anomalous windows) and again every
 * {@code renotifyInterval} of event time, and whenever a silence starts or stops matching it. Each
 * report is grouped under the open incident that explains its service and carries that incident's
 * root cause and top evidence. Silenced alerts are reported and kept like any other, marked
 * silenced; the sinks that page people skip them.
 *
 * <p>Not thread-safe: {@link #observe} runs on the pipeline thread; {@link #alerts()} is safe from
 * any thread. {@link #snapshot()} and {@link #restore} carry the state over a restart.
 */
public final class AlertLifecycle {
  public static final int DEFAULT_PENDING_WINDOWS = IncidentTracker.DEFAULT_MIN_CONSECUTIVE;
  public static final int DEFAULT_QUIET_WINDOWS = IncidentTracker.DEFAULT_QUIET_WINDOWS;
  public static final Duration DEFAULT_RENOTIFY_INTERVAL = Duration.ofMinutes(5);
  public static final double DEFAULT_CRITICAL_GRADE = 0.8;
  public static final int DEFAULT_MAX_RESOLVED = 200;

  /** Mutable state of one service's alert. */
  static final class StateAccumulator {
    int anomalous;
    int quiet;
    Anomaly strongest;
    Alert current;
  }

  private final int pendingWindows;
  private final int quietWindows;
  private final Duration renotifyInterval;
  private final double criticalGrade;
  private final int maxResolved;
  private final TimeOrderedIds ids;
  private final SilenceRegistry silences;
  private final AlertText text = new AlertText();
  private final Map<String, StateAccumulator> states = new TreeMap<>();
  private final Deque<Alert> resolved = new ArrayDeque<>();
  private final PredictiveAlerts predictions;
  private volatile List<Alert> view = List.of();

  private AlertLifecycle(Builder b) {
    this.pendingWindows = b.pendingWindows;
    this.quietWindows = b.quietWindows;
    this.renotifyInterval = b.renotifyInterval;
    this.criticalGrade = b.criticalGrade;
    this.maxResolved = b.maxResolved;
    this.ids = b.ids;
    this.silences = b.silences != null ? b.silences : new SilenceRegistry(b.ids);
    this.predictions = new PredictiveAlerts(quietWindows, renotifyInterval, ids, this.silences);
  }

  public static Builder builder() {
    return new Builder();
  }

  public SilenceRegistry silences() {
    return silences;
  }

  /** Firing alerts, then the latest resolved ones, newest first; safe from any thread. */
  public List<Alert> alerts() {
    return view;
  }

  /**
   * Takes one closed window, its anomalies, the services whose window was unsettled and the open
   * incidents after the window; returns the alert reports it caused.
   */
  public List<Alert> observe(
      WindowFeatures window,
      List<Anomaly> anomalies,
      Set<String> unsettled,
      List<Incident> openIncidents) {
    Instant at = window.end();
    List<Alert> out = new ArrayList<>();
    Map<String, Anomaly> byService = new HashMap<>();
    anomalies.forEach(
        a -> byService.merge(a.service(), a, (x, y) -> x.grade() >= y.grade() ? x : y));
    byService.keySet().forEach(s -> states.computeIfAbsent(s, k -> new StateAccumulator()));
    for (Iterator<Map.Entry<String, StateAccumulator>> it = states.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, StateAccumulator> e = it.next();
      String service = e.getKey();
      StateAccumulator s = e.getValue();
      Anomaly a = byService.get(service);
      if (a != null) {
        s.anomalous++;
        s.quiet = 0;
        if (s.strongest == null || a.grade() > s.strongest.grade()) {
          s.strongest = a;
        }
        if (s.current == null && s.anomalous >= pendingWindows) {
          s.current = fire(service, s.strongest, at, openIncidents);
          out.add(s.current);
          continue;
        }
      } else if (s.current != null && unsettled.contains(service)) {
        s.anomalous = 0; // no evidence either way: the alert stays as it is
      } else {
        s.anomalous = 0;
        s.quiet++;
        if (s.current != null && s.quiet >= quietWindows) {
          Alert r = report(s.current, Alert.RESOLVED, Alert.RESOLVED, at, at, openIncidents);
          out.add(r);
          remember(r);
          it.remove();
          continue;
        } else if (s.current == null) {
          it.remove();
          continue;
        }
      }
      if (s.current != null) {
        Alert next = followUp(s.current, at, openIncidents);
        if (next != null) {
          s.current = next;
          out.add(next);
        }
      }
    }
    publishView();
    return out;
  }

  /**
   * Takes the predictive alerts of a window (after {@link #observe} of the same window) and returns
   * the predictive alert reports they caused; see {@link PredictiveAlerts}.
   *
   * @param expecting whether a series ({@code service/feature}) is still expected to cross
   */
  public List<Alert> observePredictions(
      Instant at, List<PredictiveAlert> raised, Predicate<String> expecting) {
    List<Alert> done = new ArrayList<>();
    List<Alert> out =
        predictions.observe(
            at,
            raised,
            expecting,
            service -> {
              StateAccumulator s = states.get(service);
              return s != null && s.current != null;
            },
            done);
    done.forEach(this::remember);
    if (!out.isEmpty()) {
      publishView();
    }
    return out;
  }

  private Alert fire(String service, Anomaly a, Instant at, List<Incident> openIncidents) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", AlertText.ALERT_NAME);
    labels.put("service", service);
    labels.put("kind", AlertText.kind(a));
    String severity = a.grade() >= criticalGrade ? Alert.CRITICAL : Alert.WARNING;
    labels.put("severity", severity);
    Incident incident = AlertText.incidentOf(service, openIncidents);
    return new Alert(
        ids.next("alert-", at),
        Fingerprints.of(labels),
        Alert.FIRED,
        Alert.FIRING,
        false,
        silences.matching(labels, at),
        severity,
        labels,
        text.annotations(service, a, incident),
        at,
        null,
        at,
        incident == null ? null : incident.id(),
        a.grade(),
        a.detectors(),
        a.drivers());
  }

  /** A re-notification or a silence change of a firing alert, or null when nothing is due. */
  private Alert followUp(Alert current, Instant at, List<Incident> openIncidents) {
    List<String> silencedBy = silences.matching(current.labels(), at);
    boolean silenced = !silencedBy.isEmpty();
    if (silenced != current.silenced()) {
      return report(current, Alert.UPDATED, Alert.FIRING, at, null, openIncidents);
    }
    Instant due = current.at().plus(renotifyInterval);
    if (!at.isBefore(due)) {
      return report(current, Alert.RENOTIFIED, Alert.FIRING, at, null, openIncidents);
    }
    return null;
  }

  private Alert report(
      Alert current,
      String event,
      String status,
      Instant at,
      Instant endsAt,
      List<Incident> openIncidents) {
    Incident incident = AlertText.incidentOf(current.service(), openIncidents);
    String incidentId = incident != null ? incident.id() : current.incidentId();
    Map<String, String> annotations =
        incident != null
            ? text.annotations(current.service(), null, incident, current.annotations())
            : current.annotations();
    return current.reported(
        event,
        status,
        silences.matching(current.labels(), at),
        annotations,
        endsAt,
        at,
        incidentId);
  }

  private void remember(Alert r) {
    resolved.addFirst(r);
    while (resolved.size() > maxResolved) {
      resolved.removeLast();
    }
  }

  private void publishView() {
    List<Alert> v = new ArrayList<>();
    states.values().stream().filter(s -> s.current != null).forEach(s -> v.add(s.current));
    v.addAll(predictions.firing());
    v.sort((x, y) -> y.startsAt().compareTo(x.startsAt()));
    v.addAll(resolved);
    view = List.copyOf(v);
  }

  /** The state to carry over a restart, versioned (see {@link AlertLifecycleSnapshot}). */
  public byte[] snapshot() {
    return AlertLifecycleSnapshot.write(states, resolved, silences.all());
  }

  /**
   * Replaces the state with a snapshot's.
   *
   * @throws IllegalArgumentException when the bytes are not a snapshot of a known version
   */
  public void restore(byte[] snapshot) {
    AlertLifecycleSnapshot.read(snapshot, states, resolved, silences);
    publishView();
  }

  /** Configures an {@link AlertLifecycle}. */
  public static final class Builder {
    private int pendingWindows = DEFAULT_PENDING_WINDOWS;
    private int quietWindows = DEFAULT_QUIET_WINDOWS;
    private Duration renotifyInterval = DEFAULT_RENOTIFY_INTERVAL;
    private double criticalGrade = DEFAULT_CRITICAL_GRADE;
    private int maxResolved = DEFAULT_MAX_RESOLVED;
    private TimeOrderedIds ids = TimeOrderedIds.secure();
    private SilenceRegistry silences;

    private Builder() {}

    /** Consecutive anomalous windows before an alert fires (default 2). */
    public Builder pendingWindows(int pendingWindows) {
      this.pendingWindows = pendingWindows;
      return this;
    }

    /** Windows without an anomaly before a firing alert resolves (default 3). */
    public Builder quietWindows(int quietWindows) {
      this.quietWindows = quietWindows;
      return this;
    }

    /** Event time between two reports of a firing alert ({@code alerts.renotify-interval}). */
    public Builder renotifyInterval(Duration renotifyInterval) {
      this.renotifyInterval = renotifyInterval;
      return this;
    }

    /** Grade from which an alert is {@code critical} rather than {@code warning} (default 0.8). */
    public Builder criticalGrade(double criticalGrade) {
      this.criticalGrade = criticalGrade;
      return this;
    }

    /** Resolved alerts kept for the API (default 200). */
    public Builder maxResolved(int maxResolved) {
      this.maxResolved = maxResolved;
      return this;
    }

    public Builder ids(TimeOrderedIds ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /** The silences to honour (default: a new, empty registry). */
    public Builder silences(SilenceRegistry silences) {
      this.silences = Objects.requireNonNull(silences, "silences");
      return this;
    }

    public AlertLifecycle build() {
      if (pendingWindows < 1) {
        throw new IllegalArgumentException("pendingWindows must be at least 1");
      }
      if (quietWindows < 1) {
        throw new IllegalArgumentException("quietWindows must be at least 1");
      }
      if (renotifyInterval == null || renotifyInterval.isNegative() || renotifyInterval.isZero()) {
        throw new IllegalArgumentException(
            "renotifyInterval (alerts.renotify-interval) must be positive, got "
                + renotifyInterval);
      }
      if (!(criticalGrade > 0 && criticalGrade <= 1)) {
        throw new IllegalArgumentException("criticalGrade must be in (0, 1], got " + criticalGrade);
      }
      if (maxResolved < 0) {
        throw new IllegalArgumentException("maxResolved must not be negative");
      }
      return new AlertLifecycle(this);
    }
  }
}
