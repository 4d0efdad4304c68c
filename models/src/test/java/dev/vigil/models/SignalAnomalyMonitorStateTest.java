package dev.vigil.models;

import static dev.vigil.models.ServiceAnomalyMonitorStateTest.header;
import static dev.vigil.models.ServiceAnomalyMonitorStateTest.withState;
import static dev.vigil.models.SyntheticWindows.FAULTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.univariate.UnivariateDetectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshots of {@link SignalAnomalyMonitor}: restored exactly, detecting at once, refused whole
 * when they do not fit, and still readable in their first version.
 */
class SignalAnomalyMonitorStateTest {
  static final int WARM_UP = 300;
  static final String FIXTURE = "/state/signal_monitor_v1.bin";

  static SignalAnomalyMonitor monitor() {
    return SignalAnomalyMonitor.withDefaultDetector(MonitorConfig.defaults());
  }

  static SignalAnomalyMonitor warmed(SyntheticWindows windows, int count) {
    SignalAnomalyMonitor monitor = monitor();
    for (int i = 0; i < count; i++) {
      assertThat(observe(monitor, windows, i, false)).as("warm-up window %d", i).isEmpty();
    }
    return monitor;
  }

  private static List<Anomaly> observe(
      SignalAnomalyMonitor monitor, SyntheticWindows windows, int i, boolean fault) {
    return monitor.observe(
        SyntheticWindows.start(i), SyntheticWindows.W, windows.signals(i, fault));
  }

  static SignalAnomalyMonitor restoredFrom(SignalAnomalyMonitor saved) {
    SignalAnomalyMonitor restored = monitor();
    for (String service : saved.services()) {
      restored.restore(service, saved.snapshot(service));
    }
    return restored;
  }

  @Test
  void aRestoredMonitorReportsExactlyWhatTheSavedOneWould() {
    SyntheticWindows windows = new SyntheticWindows(7);
    SignalAnomalyMonitor original = warmed(windows, WARM_UP);
    SignalAnomalyMonitor restored = restoredFrom(original);
    assertThat(restored.services()).containsExactly("checkout", "email", "shipping");
    assertThat(restored.watchedSeries()).isEqualTo(original.watchedSeries()).isEqualTo(30);

    List<Anomaly> anomalies = new ArrayList<>();
    for (int i = WARM_UP; i < WARM_UP + 120; i++) {
      var signals = windows.signals(i, (i >= 330 && i < 340) || (i >= 390 && i < 395));
      List<Anomaly> expected =
          original.observe(SyntheticWindows.start(i), SyntheticWindows.W, signals);
      assertThat(restored.observe(SyntheticWindows.start(i), SyntheticWindows.W, signals))
          .as("window %d", i)
          .isEqualTo(expected);
      anomalies.addAll(expected);
    }
    assertThat(anomalies).flatExtracting(Anomaly::detectors).contains("bin_novelty");
    for (String service : original.services()) {
      assertThat(restored.snapshot(service)).isEqualTo(original.snapshot(service));
    }
  }

  @Test
  void aRestoredMonitorDetectsAFaultAsFastAsTheSavedOneAndAFreshOneDoesNot() {
    SyntheticWindows windows = new SyntheticWindows(7);
    SignalAnomalyMonitor original = warmed(windows, WARM_UP);
    SignalAnomalyMonitor restored = restoredFrom(original);
    SignalAnomalyMonitor fresh = monitor();
    List<Integer> originalAt = new ArrayList<>();
    List<Integer> restoredAt = new ArrayList<>();
    List<Integer> freshAt = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      var signals = windows.signals(WARM_UP + k, true);
      var start = SyntheticWindows.start(WARM_UP + k);
      flagged(originalAt, k, original.observe(start, SyntheticWindows.W, signals));
      flagged(restoredAt, k, restored.observe(start, SyntheticWindows.W, signals));
      flagged(freshAt, k, fresh.observe(start, SyntheticWindows.W, signals));
    }
    assertThat(originalAt).startsWith(0);
    assertThat(restoredAt).isEqualTo(originalAt);
    assertThat(freshAt).as("a monitor without the state is still warming up").isEmpty();
  }

  private static void flagged(List<Integer> at, int k, List<Anomaly> anomalies) {
    if (anomalies.stream().anyMatch(a -> a.service().equals(FAULTY))) {
      at.add(k);
    }
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "random bytes", (UnaryOperator<byte[]>) b -> new byte[] {9, 9, 9}, "cannot be read"),
        Arguments.of(
            "a flipped bit",
            (UnaryOperator<byte[]>)
                b -> {
                  b[b.length / 2] ^= 0x01;
                  return b;
                },
            "checksum"),
        Arguments.of("another format version", header("version", 0), "format version 0"),
        Arguments.of("another series schema", header("schema", "feedface"), "'feedface'"),
        Arguments.of(
            "another detector",
            header("config", "detector=ensemble, baselineWindows=60"),
            "'detector=ensemble"),
        Arguments.of(
            "another monitor's state",
            header("format", ServiceAnomalyMonitor.STATE_FORMAT),
            "format 'vigil.service_monitor'"),
        Arguments.of(
            "a garbage state with a valid checksum",
            (UnaryOperator<byte[]>) b -> withState(b, new byte[] {(byte) 0xa1, 0x61, 0x78, 1}),
            "cannot be restored"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aStateThatDoesNotFitIsRefusedWholeAndTheServiceRelearns(
      String name, UnaryOperator<byte[]> damage, String message) {
    byte[] good = warmedSnapshot();
    SignalAnomalyMonitor target = warmed(new SyntheticWindows(8), 20);
    assertThat(target.watchedSeries()).isEqualTo(30);

    assertThatThrownBy(() -> target.restore(FAULTY, damage.apply(good.clone())))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("service '" + FAULTY + "'")
        .hasMessageEndingWith("refused, the service relearns");
    assertThat(target.services()).containsExactly("checkout", "email");
    assertThat(target.watchedSeries()).isEqualTo(20);
    observe(target, new SyntheticWindows(8), 20, false);
    assertThat(target.services()).contains(FAULTY);
    assertThat(target.watchedSeries()).isEqualTo(30);
  }

  @Test
  void aMonitorWithAnotherDetectorRefusesTheState() {
    SignalAnomalyMonitor other =
        new SignalAnomalyMonitor(
            MonitorConfig.defaults(),
            UnivariateDetectors.factory("ensemble"),
            "ensemble",
            SignalAnomalyMonitor.DEFAULT_ALARM_SCORE);
    assertThatThrownBy(() -> other.restore(FAULTY, warmedSnapshot()))
        .isInstanceOf(IncompatibleModelException.class)
        .hasMessageContaining("configuration 'detector=bin_novelty, baselineWindows=60'")
        .hasMessageContaining("this monitor has 'detector=ensemble, baselineWindows=60'");
    assertThat(other.services()).isEmpty();
  }

  @Test
  void aDetectorThatCannotSaveItsStateSaysSo() {
    SignalAnomalyMonitor monitor =
        new SignalAnomalyMonitor(
            MonitorConfig.defaults(),
            () ->
                new UnivariateDetector() {
                  @Override
                  public double scoreAndLearn(long epochMillis, double value) {
                    return 0;
                  }

                  @Override
                  public String name() {
                    return "stateless_test";
                  }
                },
            "stateless_test",
            SignalAnomalyMonitor.DEFAULT_ALARM_SCORE);
    observe(monitor, new SyntheticWindows(7), 0, false);
    assertThatThrownBy(() -> monitor.snapshot(FAULTY))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("the stateless_test detector cannot save what it has learnt");
  }

  private static byte[] warmedSnapshot;

  private static synchronized byte[] warmedSnapshot() {
    if (warmedSnapshot == null) {
      warmedSnapshot = warmed(new SyntheticWindows(7), WARM_UP).snapshot(FAULTY);
    }
    return warmedSnapshot.clone();
  }

  /** The first format's committed state still loads, and detects a fault at once. */
  @Test
  void versionOneStateStillLoadsAndDetects() {
    SignalAnomalyMonitor monitor = monitor();
    monitor.restore(FAULTY, ServiceAnomalyMonitorStateTest.fixture(FIXTURE));
    assertThat(monitor.services()).containsExactly(FAULTY);
    assertThat(monitor.watchedSeries()).isEqualTo(10);
    SyntheticWindows windows = new SyntheticWindows(9);
    for (int i = WARM_UP; i < WARM_UP + 5; i++) {
      assertThat(observe(monitor, windows, i, false))
          .extracting(Anomaly::service)
          .doesNotContain(FAULTY);
    }
    assertThat(observe(monitor, windows, WARM_UP + 5, true))
        .extracting(Anomaly::service)
        .contains(FAULTY);
  }

  /** Writes the fixture into {@code src/test/resources/state} (see the service monitor's). */
  public static void main(String[] args) throws IOException {
    SignalAnomalyMonitor monitor = warmed(new SyntheticWindows(7), WARM_UP);
    Files.write(Path.of(args[0]).resolve("signal_monitor_v1.bin"), monitor.snapshot(FAULTY));
  }
}
