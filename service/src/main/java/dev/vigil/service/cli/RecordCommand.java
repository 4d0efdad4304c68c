package dev.vigil.service.cli;

import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.FaultSchedule;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.OtlpFileSpanExporter;
import dev.vigil.trainingdata.sim.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code vigil record --out DIR --duration 6h [--fault KIND:SERVICE --fault-at 4h] [--start T]
 * [--rate R] [--seed S]}: runs the demo's simulated shop as fast as it can for a stretch of
 * simulated time and writes its spans to {@code DIR/traces.binpb} (OTLP protobuf, length-delimited
 * as the OTLP file exporter frames it), a history for {@code vigil retrain} and {@code vigil
 * analyze}.
 */
public final class RecordCommand {
  static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private RecordCommand() {}

  public static int run(List<String> argv) throws UsageException, IOException {
    Args args =
        Args.parse(
            "record",
            argv,
            Set.of(),
            Set.of("out", "duration", "fault", "fault-at", "start", "rate", "seed"));
    Path out =
        Path.of(
            args.value("out")
                .orElseThrow(() -> new UsageException("record needs --out <directory>")));
    Duration duration = duration(args.value("duration").orElse("1h"), "duration");
    Instant start = DEFAULT_START;
    if (args.value("start").isPresent()) {
      try {
        start = Instant.parse(args.value("start").get());
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--start must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got '"
                + args.value("start").get()
                + "'");
      }
    }
    double rate = args.doubleValue("rate", MicroserviceSimulator.DEFAULT_BASE_RATE, 1, 2000);
    long seed =
        args.intValue("seed", (int) MicroserviceSimulator.DEFAULT_SEED, 0, Integer.MAX_VALUE);
    Topology topology = Topology.shop();
    FaultSchedule faults = FaultSchedule.none();
    if (args.value("fault").isPresent()) {
      Fault fault;
      try {
        fault = Fault.parse(args.value("fault").get(), topology);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--fault: " + e.getMessage());
      }
      Duration at = duration(args.value("fault-at").orElse("0s"), "fault-at");
      faults = FaultSchedule.at(fault, start.plus(at));
    } else if (args.value("fault-at").isPresent()) {
      throw new UsageException("--fault-at needs --fault KIND:SERVICE");
    }
    Files.createDirectories(out);
    Path file = out.resolve("traces.binpb");
    OtlpFileSpanExporter exporter = new OtlpFileSpanExporter(file);
    Duration chunk = Duration.ofMinutes(10);
    try (MicroserviceSimulator sim =
        MicroserviceSimulator.builder()
            .topology(topology)
            .exporter(exporter)
            .seed(seed)
            .baseRatePerSecond(rate)
            .startTime(start)
            .faults(faults)
            .build()) {
      Duration done = Duration.ZERO;
      while (done.compareTo(duration) < 0) {
        Duration step = duration.minus(done).compareTo(chunk) < 0 ? duration.minus(done) : chunk;
        sim.runFor(step);
        done = done.plus(step);
        System.err.printf(
            Locale.ROOT,
            "record: %s of %s simulated, %,d spans%n",
            done,
            duration,
            exporter.spans());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "recorded %s from %s: %,d spans in %s%n",
        duration,
        start,
        exporter.spans(),
        file);
    return 0;
  }

  /** {@code 90s}, {@code 45m}, {@code 6h}, {@code 2d} or an ISO-8601 duration. */
  static Duration duration(String v, String option) throws UsageException {
    String t = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      Duration d =
          switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> null;
          };
      if (d != null && !d.isNegative()) {
        return d;
      }
    } catch (RuntimeException e) {
      // fall through to the usage message
    }
    throw new UsageException(
        "--" + option + " must be a duration such as 90s, 45m, 6h, 2d or PT1H30M, got '" + v + "'");
  }
}
