package dev.vigil.trainingdata.sim;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * One service's instruments and the load model behind its resource gauges.
 *
 * <p>Instruments, named by the OpenTelemetry semantic conventions where they have a name:
 *
 * <ul>
 *   <li>{@value #HTTP_DURATION} (histogram, s) on the HTTP entry service, {@value #RPC_DURATION}
 *       (histogram, ms; the gRPC conventions up to semconv 1.37, which the simulator's spans
 *       follow) on the others; both with the HTTP advice's boundaries, {@link #BUCKETS_SECONDS}, in
 *       their unit. The value is the server span's duration; the span is current, so exemplars link
 *       to it.
 *   <li>{@value #ERRORS} (counter, {@code {error}}): failed requests by operation and {@code
 *       error.type}.
 *   <li>{@value #CPU} (gauge, 1) and {@value #MEMORY} (an asynchronous up-down counter in bytes, as
 *       semconv defines it, so a non-monotonic sum).
 *   <li>{@value #RESPONSE_SIZE} (histogram, By) on the entry service, aggregated as a base-2
 *       exponential histogram by a view.
 * </ul>
 *
 * <p>Load model: a request costs {@value #CPU_PER_REQUEST_MILLIS} ms of CPU plus a quarter of its
 * self time (a latency fault thus costs CPU too, as lock spinning or GC pressure would), on {@value
 * #CORES} cores; memory is a base, 4 MiB per request in flight (mean concurrency, by Little's law)
 * and garbage that grows 256 KiB a request and is collected every 96 MiB. Not thread-safe: the
 * simulation thread records and samples; the SDK's collection reads the sampled values.
 */
final class ServiceMetrics {
  static final String HTTP_DURATION = "http.server.request.duration";
  static final String RPC_DURATION = "rpc.server.duration";
  static final String ERRORS = "app.server.errors";
  static final String CPU = "process.cpu.utilization";
  static final String MEMORY = "process.memory.usage";
  static final String RESPONSE_SIZE = "http.server.response.body.size";

  /** The semantic conventions' advice for {@code http.server.request.duration}, in seconds. */
  static final List<Double> BUCKETS_SECONDS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  static final double CPU_PER_REQUEST_MILLIS = 3;
  static final int CORES = 2;

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

  private static final long MIB = 1L << 20;
  private static final long GARBAGE_PER_REQUEST = 256 * 1024;
  private static final long GC_EVERY = 96 * MIB;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final boolean http;
  private final DoubleHistogram duration;
  private final LongCounter errors;
  private final @Nullable LongHistogram responseSize;
  private final long baseMemory;
  private final Map<String, Attributes> attributes = new HashMap<>();

  private long cpuNanos;
  private long inFlightNanos;
  private long garbage;
  private volatile double cpuUtilization;
  private volatile long memoryBytes;

  ServiceMetrics(String service, boolean http, Meter meter) {
    this.http = http;
    this.duration =
        meter
            .histogramBuilder(http ? HTTP_DURATION : RPC_DURATION)
            .setUnit(http ? "s" : "ms")
            .setDescription(
                http
                    ? "Duration of HTTP server requests."
                    : "Measures the duration of inbound RPC.")
            .setExplicitBucketBoundariesAdvice(
                http ? BUCKETS_SECONDS : BUCKETS_SECONDS.stream().map(b -> b * 1000).toList())
            .build();
    this.errors =
        meter
            .counterBuilder(ERRORS)
            .setUnit("{error}")
            .setDescription("Requests that failed, by operation and error type.")
            .build();
    this.responseSize =
        http
            ? meter
                .histogramBuilder(RESPONSE_SIZE)
                .ofLongs()
                .setUnit("By")
                .setDescription("Size of HTTP server response bodies.")
                .build()
            : null;
    meter
        .gaugeBuilder(CPU)
        .setUnit("1")
        .setDescription("CPU time used, as a share of the CPUs available to the process.")
        .buildWithCallback(m -> m.record(cpuUtilization));
    meter
        .upDownCounterBuilder(MEMORY)
        .setUnit("By")
        .setDescription("The amount of physical memory in use.")
        .buildWithCallback(m -> m.record(memoryBytes));
    this.baseMemory = 128 * MIB + Math.floorMod(service.hashCode(), 8) * 16 * MIB;
    this.garbage = Math.floorMod(service.hashCode(), 64) * MIB;
    this.memoryBytes = baseMemory + garbage;
  }

  /** Records a served request at its end, the clock set to that time. */
  void record(ServedRequest r, long responseBytes) {
    ServedRequest.Failure failure = r.failure();
    Attributes attrs = attributes(r.operation().name(), failure == null ? null : "");
    if (http) {
      duration.record(r.durationNanos() / 1e9, attrs, r.context());
      if (responseSize != null) {
        responseSize.record(responseBytes, attrs, r.context());
      }
    } else {
      duration.record(r.durationNanos() / 1e6, attrs, r.context());
    }
    if (failure != null) {
      errors.add(1, attributes(r.operation().name(), failure.exceptionType()), r.context());
    }
    cpuNanos += (long) (CPU_PER_REQUEST_MILLIS * NANOS_PER_MILLI) + r.selfNanos() / 4;
    inFlightNanos += r.durationNanos();
    garbage += GARBAGE_PER_REQUEST;
    if (garbage >= GC_EVERY) {
      garbage -= GC_EVERY;
    }
  }

  /** Sets the gauges from the load since the last sample, {@code elapsedNanos} ago. */
  void sample(long elapsedNanos, Random noise) {
    if (elapsedNanos <= 0) {
      return;
    }
    double busy = cpuNanos / ((double) elapsedNanos * CORES);
    double u = 0.02 + busy + 0.005 * noise.nextGaussian();
    cpuUtilization = Math.max(0, Math.min(1, u));
    double concurrency = inFlightNanos / (double) elapsedNanos;
    memoryBytes = baseMemory + (long) (concurrency * 4 * MIB) + garbage;
    cpuNanos = 0;
    inFlightNanos = 0;
  }

  /**
   * The measurement attributes of an operation: without {@code error.type} for a success ({@code
   * errorType == null}), with the status of a failure ({@code ""}), or those of the error counter.
   */
  private Attributes attributes(String operation, @Nullable String errorType) {
    String key = errorType == null ? operation : operation + '\n' + errorType;
    return attributes.computeIfAbsent(key, k -> build(operation, errorType));
  }

  private Attributes build(String operation, @Nullable String errorType) {
    AttributesBuilder b = Attributes.builder();
    if (http) {
      int space = operation.indexOf(' ');
      b.put(MicroserviceSimulator.HTTP_METHOD, operation.substring(0, space));
      b.put(MicroserviceSimulator.HTTP_ROUTE, operation.substring(space + 1));
      b.put(URL_SCHEME, "http");
    } else {
      int slash = operation.indexOf('/');
      b.put(MicroserviceSimulator.RPC_SYSTEM, "grpc");
      b.put(MicroserviceSimulator.RPC_SERVICE, operation.substring(0, slash));
      b.put(MicroserviceSimulator.RPC_METHOD, operation.substring(slash + 1));
    }
    if (errorType == null) {
      b.put(http ? MicroserviceSimulator.HTTP_STATUS : GRPC_STATUS, http ? 200L : 0L);
    } else if (errorType.isEmpty()) {
      b.put(http ? MicroserviceSimulator.HTTP_STATUS : GRPC_STATUS, http ? 500L : 2L);
      if (http) {
        b.put(ERROR_TYPE, "500");
      }
    } else {
      b.put(ERROR_TYPE, errorType);
    }
    return b.build();
  }
}
