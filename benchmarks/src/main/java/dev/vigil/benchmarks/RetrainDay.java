package dev.vigil.benchmarks;

import dev.vigil.models.FeatureVector;
import dev.vigil.models.retrain.RetrainConfig;
import dev.vigil.models.retrain.RetrainOutcome;
import dev.vigil.models.retrain.ServiceRetrainer;
import dev.vigil.service.config.VigilConfig;
import dev.vigil.service.models.ForecasterRetrainer;
import dev.vigil.service.models.HistoryWindows;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.trainingdata.sim.Call;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Operation;
import dev.vigil.trainingdata.sim.OtlpBytesSpanExporter;
import dev.vigil.trainingdata.sim.ServiceProfile;
import dev.vigil.trainingdata.sim.Topology;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The training and evaluation stages of {@code vigil retrain} on a day of ten-second windows of a
 * 50-service system: the window features come from the {@link MicroserviceSimulator} on a generated
 * topology ({@link #topology}), its spans marshalled to OTLP protobuf as the SDK exports them,
 * decoded by the stream's {@link OtlpDecoder} and aggregated by {@link HistoryWindows} (the retrain
 * command's aggregator); then {@link ServiceRetrainer} (isolation forest and one-class SVM per
 * service, evaluated against fault-injected copies) and {@link ForecasterRetrainer} (the shared
 * increment LSTM, evaluated behind the predictive rule) run on them with {@code vigil run}'s
 * default configuration, nothing in use (every candidate is evaluated, none is promoted anywhere).
 *
 * <p>A {@link StageProfile} samples the main thread's stack every 50 ms and says which part of a
 * stage the time went to.
 *
 * <pre>{@code
 * OMP_NUM_THREADS=1 java -Xmx4g -cp ... dev.vigil.benchmarks.RetrainDay [--services 50]
 *     [--hours 24] [--rate 3.5] [--save F | --load F] [--no-services] [--no-forecaster]
 *     [--set predictive.series=p95_latency ...]
 * }</pre>
 */
public final class RetrainDay {
  private static final Instant START = Instant.parse("2024-05-01T00:00:00Z");

  private RetrainDay() {}

  public static void main(String[] args) throws Exception {
    int services = 50;
    double hours = 24;
    double rate = 3.5;
    Path save = null;
    Path load = null;
    boolean serviceStage = true;
    boolean forecasterStage = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--services" -> services = Integer.parseInt(args[++i]);
        case "--hours" -> hours = Double.parseDouble(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--save" -> save = Path.of(args[++i]);
        case "--load" -> load = Path.of(args[++i]);
        case "--no-services" -> serviceStage = false;
        case "--no-forecaster" -> forecasterStage = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    VigilConfig vigil = VigilConfig.defaults();
    System.out.printf(Locale.ROOT, "load average at start: %s%n", load());
    Map<String, List<FeatureVector>> history;
    long t0 = System.nanoTime();
    if (load != null) {
      history = read(load);
      System.out.printf(
          Locale.ROOT,
          "read window features of %d services from %s in %.1f s%n",
          history.size(),
          load,
          seconds(t0));
    } else {
      history = simulate(vigil, services, hours, rate);
      System.out.printf(
          Locale.ROOT,
          "simulated + window features: %.1f s; load average %s%n",
          seconds(t0),
          load());
      if (save != null) {
        write(history, save);
      }
    }
    int min = history.values().stream().mapToInt(List::size).min().orElse(0);
    int max = history.values().stream().mapToInt(List::size).max().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "%d services, %d to %d windows each (%d in all)%n",
        history.size(),
        min,
        max,
        history.values().stream().mapToInt(List::size).sum());

    if (serviceStage) {
      RetrainConfig config = RetrainConfig.defaults();
      ServiceRetrainer retrainer = new ServiceRetrainer(config, Clock.systemUTC());
      StageProfile profile =
          StageProfile.start(
              Thread.currentThread(),
              List.of(
                  "libsvm.svm.svm_train",
                  "TribuoIsolationForestTrainer",
                  "Model.predict",
                  "AnomalyEvaluator",
                  "AnomalyData.dataset"));
      long a = System.nanoTime();
      List<Double> perService = new ArrayList<>();
      for (Map.Entry<String, List<FeatureVector>> e : history.entrySet()) {
        long s = System.nanoTime();
        RetrainOutcome o = retrainer.retrain(e.getKey(), e.getValue(), Optional.empty());
        perService.add(seconds(s));
        System.out.printf(
            Locale.ROOT,
            "  %-10s %5d windows %6.1f s  %s%n",
            e.getKey(),
            o.windows(),
            seconds(s),
            o.candidates().stream()
                .map(
                    c ->
                        String.format(
                            Locale.ROOT,
                            "%s F1 %.3f fa %.3f",
                            c.model(),
                            c.f1(),
                            c.falseAlarmRate()))
                .toList());
      }
      double total = seconds(a);
      profile.stop();
      perService.sort(Double::compare);
      System.out.printf(
          Locale.ROOT,
          "STAGE services (isolation forest + one-class SVM, %d services): %.1f s (median %.1f s,"
              + " max %.1f s a service); load average %s%n  where (share of main-thread samples):"
              + " %s%n",
          history.size(),
          total,
          perService.get(perService.size() / 2),
          perService.get(perService.size() - 1),
          load(),
          profile.shares());
    }
    if (forecasterStage) {
      StageProfile profile =
          StageProfile.start(
              Thread.currentThread(),
              List.of(
                  "MultiLayerNetwork.fit",
                  "LstmIncrementForecasterTrainer",
                  "ForecastEvaluator",
                  "LstmIncrementForecaster.forecast"));
      long a = System.nanoTime();
      ForecasterRetrainer.Outcome o =
          new ForecasterRetrainer(
                  vigil.predictiveSettings(),
                  vigil.monitor(),
                  vigil.features().window(),
                  RetrainConfig.DEFAULT_HOLD_OUT_SHARE,
                  Clock.systemUTC())
              .retrain(history, Optional.empty());
      double total = seconds(a);
      profile.stop();
      System.out.printf(
          Locale.ROOT,
          "STAGE forecaster (%d series, %d windows): %.1f s; load average %s%n  %s%n"
              + "  where (share of main-thread samples): %s%n",
          o.series(),
          o.windows(),
          total,
          load(),
          o.reason(),
          profile.shares());
    }
  }

  /**
   * A day of the simulated system through the retrain command's aggregator: spans as OTLP protobuf
   * (one message per SDK export), decoded by the stream's decoder, into {@link HistoryWindows}.
   */
  static Map<String, List<FeatureVector>> simulate(
      VigilConfig vigil, int services, double hours, double rate) {
    HistoryWindows windows = new HistoryWindows(vigil.features(), vigil.monitor().minRequests());
    long[] spans = {0};
    SpanExporter exporter =
        new OtlpBytesSpanExporter(
            (otlp, n) -> {
              // The SDK's batch processor exports from its worker and from flushes: one at a time.
              synchronized (windows) {
                try {
                  var decoded = OtlpDecoder.decode(Signal.TRACES, otlp).spans();
                  spans[0] += decoded.size();
                  windows.accept(decoded);
                } catch (OtlpDecodeException e) {
                  throw new IllegalStateException(e);
                }
              }
              return CompletableResultCode.ofSuccess();
            });
    Topology topology = topology(services);
    long requests;
    try (MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(topology)
            .exporter(exporter)
            .seed(MicroserviceSimulator.DEFAULT_SEED)
            .baseRatePerSecond(rate)
            .startTime(START)
            .build()) {
      Duration total = Duration.ofSeconds((long) (hours * 3600));
      for (Duration done = Duration.ZERO;
          done.compareTo(total) < 0;
          done = done.plus(Duration.ofMinutes(10))) {
        sim.runFor(Duration.ofMinutes(10));
        if (done.toMinutes() % 120 == 0) {
          System.out.printf(
              Locale.ROOT, "  simulated %s, %,d spans%n", done.plusMinutes(10), spans[0]);
        }
      }
      requests = sim.requests();
    }
    Map<String, List<FeatureVector>> history = windows.finish();
    System.out.printf(
        Locale.ROOT,
        "simulated %s h of %d services (%s): %,d entry requests, %,d spans, %,d late%n",
        hours,
        topology.services().size(),
        "frontend -> 2 of 7 services -> 6 each",
        requests,
        spans[0],
        windows.lateSpans());
    return history;
  }

  /**
   * A tree of {@code services} services: {@code frontend} has seven operations, each of which calls
   * two of the seven first-tier services (the i-th and the next), each of which calls its share of
   * the rest (six each for 50 services): a trace has 29 spans, and at 3.5 entry requests a second
   * every other service serves 1 request a second, 10 a window (a service is rarely under the
   * monitor's 5 requests a window). Self times 1 to 12 ms, different per service.
   */
  static Topology topology(int services) {
    int tier1 = Math.min(7, services - 1);
    List<List<String>> children = new ArrayList<>();
    for (int i = 0; i < tier1; i++) {
      children.add(new ArrayList<>());
    }
    for (int s = 1 + tier1; s < services; s++) {
      children.get((s - 1 - tier1) % tier1).add(name(s));
    }
    List<ServiceProfile> profiles = new ArrayList<>();
    Map<String, Double> mix = new LinkedHashMap<>();
    List<Operation> entryOps = new ArrayList<>();
    for (int i = 0; i < tier1; i++) {
      String op = "GET /" + i;
      mix.put(op, 1.0);
      entryOps.add(
          new Operation(
              op,
              3,
              List.of(
                  Call.always(name(1 + i), "Api/Op"),
                  Call.always(name(1 + (i + 1) % tier1), "Api/Op"))));
    }
    Map<String, Operation> frontend = new LinkedHashMap<>();
    entryOps.forEach(o -> frontend.put(o.name(), o));
    profiles.add(new ServiceProfile("frontend", null, frontend));
    for (int i = 0; i < tier1; i++) {
      List<Call> calls = children.get(i).stream().map(c -> Call.always(c, "Api/Op")).toList();
      profiles.add(profile(name(1 + i), new Operation("Api/Op", selfMillis(1 + i), calls)));
    }
    for (int s = 1 + tier1; s < services; s++) {
      profiles.add(profile(name(s), new Operation("Api/Op", selfMillis(s), List.of())));
    }
    return new Topology("frontend", mix, profiles);
  }

  private static ServiceProfile profile(String name, Operation op) {
    Map<String, Operation> ops = new LinkedHashMap<>();
    ops.put(op.name(), op);
    return new ServiceProfile(name, null, ops);
  }

  private static double selfMillis(int s) {
    return 1 + (s * 7 % 12);
  }

  private static String name(int s) {
    return String.format(Locale.ROOT, "svc-%02d", s);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void write(Map<String, List<FeatureVector>> history, Path file) {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(history.size());
      for (Map.Entry<String, List<FeatureVector>> e : history.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().size());
        for (FeatureVector v : e.getValue()) {
          out.writeLong(v.time().toEpochMilli());
          out.writeInt(v.values().length);
          for (double x : v.values()) {
            out.writeDouble(x);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, List<FeatureVector>> read(Path file) throws IOException {
    Map<String, List<FeatureVector>> history = new TreeMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int services = in.readInt();
      for (int s = 0; s < services; s++) {
        String name = in.readUTF();
        int n = in.readInt();
        List<FeatureVector> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Instant t = Instant.ofEpochMilli(in.readLong());
          double[] x = new double[in.readInt()];
          for (int k = 0; k < x.length; k++) {
            x[k] = in.readDouble();
          }
          v.add(new FeatureVector(t, x));
        }
        history.put(name, v);
      }
    }
    return history;
  }
}
