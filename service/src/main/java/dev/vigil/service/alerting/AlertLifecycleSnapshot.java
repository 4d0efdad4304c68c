package dev.vigil.service.alerting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.models.Anomaly;
import dev.vigil.service.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The alert lifecycle's state as bytes: JSON with a {@code version}, so that a state store written
 * by one release is read by the next (see {@code src/test/resources/alerting/} for a committed
 * fixture). Version 1: per-service counters, the strongest anomaly and the current alert; the
 * latest resolved alerts; every silence.
 */
final class AlertLifecycleSnapshot {
  static final int VERSION = 1;
  private static final ObjectMapper READER =
      Json.MAPPER.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  record Entry(String service, int anomalous, int quiet, Anomaly strongest, Alert current) {}

  record State(int version, List<Entry> states, List<Alert> resolved, List<Silence> silences) {}

  private AlertLifecycleSnapshot() {}

  static byte[] write(
      Map<String, AlertLifecycle.StateAccumulator> states,
      Deque<Alert> resolved,
      List<Silence> silences) {
    List<Entry> entries = new ArrayList<>();
    states.forEach(
        (service, s) ->
            entries.add(new Entry(service, s.anomalous, s.quiet, s.strongest, s.current)));
    try {
      return Json.MAPPER.writeValueAsBytes(
          new State(VERSION, entries, List.copyOf(resolved), silences));
    } catch (IOException e) {
      throw new IllegalStateException("could not write the alert state", e);
    }
  }

  static void read(
      byte[] bytes,
      Map<String, AlertLifecycle.StateAccumulator> states,
      Deque<Alert> resolved,
      SilenceRegistry silences) {
    State state;
    try {
      state = READER.readValue(bytes, State.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an alert state snapshot: " + e.getMessage(), e);
    }
    if (state.version() != VERSION) {
      throw new IllegalArgumentException(
          "alert state snapshot version " + state.version() + "; this release reads " + VERSION);
    }
    states.clear();
    for (Entry e : state.states()) {
      AlertLifecycle.StateAccumulator s = new AlertLifecycle.StateAccumulator();
      s.anomalous = e.anomalous();
      s.quiet = e.quiet();
      s.strongest = e.strongest();
      s.current = e.current();
      states.put(e.service(), s);
    }
    resolved.clear();
    resolved.addAll(state.resolved());
    silences.replaceAll(state.silences());
  }
}
