package dev.vigil.service.alerting;

import dev.vigil.models.forecast.PredictiveAlert;
import dev.vigil.rca.TimeOrderedIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The lifecycle of predictive alerts (a forecast expected to cross a service's alert level), beside
 * the threshold alerts of {@link AlertLifecycle}: one alert per series while its episode lasts,
 * labelled {@code alertname=VigilPredictedCrossing}, {@code kind=predictive}, {@code
 * severity=warning} and the {@code series}, with the expected crossing time, the forecast and the
 * level as annotations. It resolves when the threshold alert of its service fires (the prediction
 * came true; {@code resolution=threshold_alert}) or after {@code quietWindows} windows in which the
 * series is no longer expected to cross ({@code resolution=forecast_receded}); while it fires it is
 * reported again every {@code renotifyInterval} and when a silence starts or stops matching it. Not
 * kept over a restart: the forecaster re-raises it from the next windows.
 *
 * <p>Not thread-safe: called from {@link AlertLifecycle#observePredictions} on the pipeline thread.
 */
final class PredictiveAlerts {
  static final String ALERT_NAME = "VigilPredictedCrossing";
  static final String KIND = "predictive";
  static final String DETECTOR = "forecast";

  private final int quietWindows;
  private final Duration renotifyInterval;
  private final TimeOrderedIds ids;
  private final SilenceRegistry silences;

  /** The firing alert of each series and its quiet windows. */
  private final Map<String, Alert> firing = new TreeMap<>();

  private final Map<String, Integer> quiet = new TreeMap<>();

  PredictiveAlerts(
      int quietWindows, Duration renotifyInterval, TimeOrderedIds ids, SilenceRegistry silences) {
    this.quietWindows = quietWindows;
    this.renotifyInterval = renotifyInterval;
    this.ids = ids;
    this.silences = silences;
  }

  List<Alert> firing() {
    return List.copyOf(firing.values());
  }

  /**
   * @param raised the predictive alerts of this window
   * @param expecting whether a series ({@code service/feature}) is still expected to cross
   * @param thresholdFiring whether a service's threshold alert fires
   * @param done receives the resolved reports
   */
  List<Alert> observe(
      Instant at,
      List<PredictiveAlert> raised,
      Predicate<String> expecting,
      Predicate<String> thresholdFiring,
      List<Alert> done) {
    List<Alert> out = new ArrayList<>();
    for (PredictiveAlert p : raised) {
      String service = serviceOf(p.series());
      if (!firing.containsKey(p.series()) && !thresholdFiring.test(service)) {
        Alert a = fire(service, p, at);
        firing.put(p.series(), a);
        quiet.put(p.series(), 0);
        out.add(a);
      }
    }
    for (Iterator<Map.Entry<String, Alert>> it = firing.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Alert> e = it.next();
      Alert current = e.getValue();
      if (current.at().equals(at) && current.event().equals(Alert.FIRED)) {
        continue;
      }
      String resolution = null;
      if (thresholdFiring.test(current.service())) {
        resolution = "threshold_alert";
      } else if (!expecting.test(e.getKey())) {
        int q = quiet.merge(e.getKey(), 1, Integer::sum);
        if (q >= quietWindows) {
          resolution = "forecast_receded";
        }
      } else {
        quiet.put(e.getKey(), 0);
      }
      if (resolution != null) {
        Map<String, String> annotations = new LinkedHashMap<>(current.annotations());
        annotations.put("resolution", resolution);
        Alert r = report(current, Alert.RESOLVED, Alert.RESOLVED, at, at, annotations);
        out.add(r);
        done.add(r);
        it.remove();
        quiet.remove(e.getKey());
        continue;
      }
      boolean silenced = !silences.matching(current.labels(), at).isEmpty();
      if (silenced != current.silenced()) {
        e.setValue(report(current, Alert.UPDATED, Alert.FIRING, at, null, current.annotations()));
        out.add(e.getValue());
      } else if (!at.isBefore(current.at().plus(renotifyInterval))) {
        e.setValue(
            report(current, Alert.RENOTIFIED, Alert.FIRING, at, null, current.annotations()));
        out.add(e.getValue());
      }
    }
    return out;
  }

  private Alert fire(String service, PredictiveAlert p, Instant at) {
    String feature = p.series().substring(service.length() + 1);
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", ALERT_NAME);
    labels.put("service", service);
    labels.put("kind", KIND);
    labels.put("series", feature);
    labels.put("severity", Alert.WARNING);
    long seconds = Duration.between(at, p.expectedAt()).toSeconds();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(
        "summary",
        String.format(
            Locale.ROOT,
            "%s %s is forecast to reach its alert level %.4g at %s (in %s; forecast %.4g)",
            service,
            feature,
            p.threshold(),
            p.expectedAt(),
            seconds >= 120 ? (seconds / 60) + " min" : seconds + " s",
            p.forecastValue()));
    annotations.put(
        "description",
        "A forecast of "
            + service
            + "'s "
            + feature
            + " crosses the level at which its threshold alert would fire; nothing has crossed"
            + " yet. It resolves when the threshold alert fires or the forecast recedes.");
    annotations.put("expected_at", p.expectedAt().toString());
    annotations.put("forecast", String.format(Locale.ROOT, "%.6g", p.forecastValue()));
    annotations.put("threshold", String.format(Locale.ROOT, "%.6g", p.threshold()));
    annotations.put("steps_ahead", Integer.toString(p.stepsAhead()));
    return new Alert(
        ids.next("alert-", at),
        Fingerprints.of(labels),
        Alert.FIRED,
        Alert.FIRING,
        false,
        silences.matching(labels, at),
        Alert.WARNING,
        labels,
        annotations,
        at,
        null,
        at,
        null,
        0,
        List.of(DETECTOR),
        List.of());
  }

  private Alert report(
      Alert current,
      String event,
      String status,
      Instant at,
      Instant endsAt,
      Map<String, String> annotations) {
    return current.reported(
        event, status, silences.matching(current.labels(), at), annotations, endsAt, at, null);
  }

  private static String serviceOf(String series) {
    int slash = series.lastIndexOf('/');
    return slash < 0 ? series : series.substring(0, slash);
  }
}
