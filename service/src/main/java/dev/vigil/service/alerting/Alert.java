package dev.vigil.service.alerting;

import dev.vigil.models.FeatureDeviation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One report of a per-service alert. An alert is identified by its {@code fingerprint} (a hash of
 * its labels: alert name, service, kind, severity, as Alertmanager computes it) while it fires, and
 * by its {@code id} across everything: each firing gets a new id, unique across restarts and
 * instances.
 *
 * @param id {@code alert-<ULID>}, see {@code TimeOrderedIds}
 * @param fingerprint 16 hex digits of FNV-1a over the sorted labels (Alertmanager's fingerprint)
 * @param event what this report is: {@link #FIRED}, {@link #RENOTIFIED} (still firing, the
 *     re-notification interval has passed), {@link #UPDATED} (a silence started or ended) or {@link
 *     #RESOLVED}
 * @param status {@code firing} or {@code resolved}
 * @param silenced whether an active silence matches it: it is kept and shown, but nobody is paged;
 *     true exactly when {@code silencedBy} is not empty (the value given is not used)
 * @param silencedBy the ids of the matching silences
 * @param severity {@code critical} or {@code warning}, from the anomaly grade when it fired
 * @param labels identify the alert: {@code alertname}, {@code service}, {@code kind}, {@code
 *     severity}
 * @param annotations {@code summary}, {@code description} (the incident's root cause and top
 *     evidence), {@code incident}
 * @param startsAt end of the window in which it fired (event time)
 * @param endsAt end of the window in which it resolved, or null while firing
 * @param at the event time of this report
 * @param incidentId the incident it is grouped under, or null when none explains its service yet
 * @param grade the strongest anomaly grade while firing
 * @param detectors the detectors that flagged the service, from the strongest anomaly
 * @param drivers the features that changed, from the strongest anomaly
 */
public record Alert(
    String id,
    String fingerprint,
    String event,
    String status,
    boolean silenced,
    List<String> silencedBy,
    String severity,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    Instant at,
    String incidentId,
    double grade,
    List<String> detectors,
    List<FeatureDeviation> drivers) {
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";

  public static final String FIRED = "fired";
  public static final String RENOTIFIED = "renotified";
  public static final String UPDATED = "updated";

  public static final String CRITICAL = "critical";
  public static final String WARNING = "warning";

  public Alert {
    silencedBy = List.copyOf(silencedBy);
    silenced = !silencedBy.isEmpty();
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    detectors = List.copyOf(detectors);
    drivers = List.copyOf(drivers);
  }

  /**
   * This alert reported anew: the same id, fingerprint, severity, labels, start, grade, detectors
   * and drivers, with the event, status, silences, annotations, end, time and incident of the
   * report.
   */
  public Alert reported(
      String event,
      String status,
      List<String> silencedBy,
      Map<String, String> annotations,
      Instant endsAt,
      Instant at,
      String incidentId) {
    return new Alert(
        id,
        fingerprint,
        event,
        status,
        false,
        silencedBy,
        severity,
        labels,
        annotations,
        startsAt,
        endsAt,
        at,
        incidentId,
        grade,
        detectors,
        drivers);
  }

  /** This alert with every label and annotation value passed through {@code text}. */
  public Alert mapText(java.util.function.UnaryOperator<String> text) {
    Map<String, String> l = new TreeMap<>();
    labels.forEach((k, v) -> l.put(k, v == null ? null : text.apply(v)));
    Map<String, String> a = new TreeMap<>();
    annotations.forEach((k, v) -> a.put(k, v == null ? null : text.apply(v)));
    return new Alert(
        id,
        fingerprint,
        event,
        status,
        silenced,
        silencedBy,
        severity,
        l,
        a,
        startsAt,
        endsAt,
        at,
        incidentId,
        grade,
        detectors,
        drivers);
  }

  /** The service the alert is about. */
  public String service() {
    return labels.get("service");
  }
}
