package dev.vigil.trainingdata.sim;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's metrics and logs: per instrumented service an {@code SdkMeterProvider} and an
 * {@code SdkLoggerProvider} with the service's resource and the {@link SimulatedClock}.
 *
 * <p>A measurement is recorded when its request ends in simulated time, as an instrumentation
 * records it when its span ends: the simulator computes a whole request when it arrives, so served
 * requests wait in a queue ordered by end time until {@link #advanceTo} passes them, the clock set
 * to each end in turn (the exemplars' time). At every multiple of the interval after the start the
 * gauges are sampled, each provider's {@link ManualMetricReader} collected and the whole collection
 * handed to the metric exporter in one export. Log records are emitted as the requests are
 * computed, with the simulated times of what they describe, through batch processors.
 *
 * <p>Random draws (which requests get an access log line, response sizes, gauge noise) come from
 * generators of their own, seeded from the simulator's seed, so the spans do not depend on whether
 * metrics or logs are on. Used by the simulation thread only.
 */
final class MetricsAndLogs {
  /** One request in this many gets an INFO access log line. */
  static final int ACCESS_LOG_ONE_IN = 20;

  private static final String SCOPE = "dev.vigil.trainingdata.sim";
  private static final System.Logger LOG = System.getLogger(MetricsAndLogs.class.getName());

  /** What to produce; a null exporter turns its signal off. */
  record Settings(
      @Nullable MetricExporter metricExporter,
      AggregationTemporalitySelector temporality,
      Duration metricInterval,
      @Nullable LogRecordExporter logExporter,
      Duration scheduleDelay) {}

  private record Pending(long endNanos, long sequence, ServedRequest request, long responseBytes) {}

  private final SimulatedClock clock;
  private final @Nullable MetricExporter metricExporter;
  private final @Nullable LogRecordExporter logExporter;
  private final long intervalNanos;
  private final Map<String, ServiceMetrics> metrics = new LinkedHashMap<>();
  private final Map<String, RequestLogs> logs = new LinkedHashMap<>();
  private final List<SdkMeterProvider> meterProviders = new ArrayList<>();
  private final List<ManualMetricReader> readers = new ArrayList<>();
  private final List<SdkLoggerProvider> loggerProviders = new ArrayList<>();
  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>(
          Comparator.comparingLong(Pending::endNanos).thenComparingLong(Pending::sequence));
  private final ExemplarTimes exemplarTimes = new ExemplarTimes();
  private final Random metricRandom;
  private final Random logRandom;
  private long sequence;
  private long lastCollectionNanos;
  private long nextCollectionNanos;
  private long failedExports;

  /**
   * @param services the instrumented services and whether each is the HTTP entry
   * @param resource each service's resource
   */
  MetricsAndLogs(
      Map<String, Boolean> services,
      Function<String, Resource> resource,
      long startNanos,
      long seed,
      Settings settings) {
    this.clock = new SimulatedClock(startNanos);
    this.metricExporter = settings.metricExporter();
    this.logExporter = settings.logExporter();
    this.intervalNanos = settings.metricInterval().toNanos();
    this.lastCollectionNanos = startNanos;
    this.nextCollectionNanos = metricExporter == null ? Long.MAX_VALUE : startNanos + intervalNanos;
    this.metricRandom = new Random(seed ^ 0x6D6574726963734CL);
    this.logRandom = new Random(seed ^ 0x6C6F67734C6F6773L);
    LogRecordExporter sharedLogs =
        logExporter == null ? null : new NonClosingLogExporter(logExporter);
    services.forEach(
        (service, http) -> {
          if (metricExporter != null) {
            ManualMetricReader reader = new ManualMetricReader(settings.temporality());
            SdkMeterProvider provider =
                SdkMeterProvider.builder()
                    .setResource(resource.apply(service))
                    .setClock(clock)
                    .registerMetricReader(reader)
                    .registerView(
                        InstrumentSelector.builder().setName(ServiceMetrics.RESPONSE_SIZE).build(),
                        View.builder()
                            .setAggregation(Aggregation.base2ExponentialBucketHistogram())
                            .build())
                    .build();
            readers.add(reader);
            meterProviders.add(provider);
            metrics.put(service, new ServiceMetrics(service, http, provider.get(SCOPE)));
          }
          if (sharedLogs != null) {
            LogRecordProcessor batch =
                BatchLogRecordProcessor.builder(sharedLogs)
                    .setScheduleDelay(settings.scheduleDelay())
                    .setMaxQueueSize(100_000)
                    .setMaxExportBatchSize(512)
                    .build();
            SdkLoggerProvider provider =
                SdkLoggerProvider.builder()
                    .setResource(resource.apply(service))
                    .setClock(clock)
                    .addLogRecordProcessor(batch)
                    .build();
            loggerProviders.add(provider);
            logs.put(service, new RequestLogs(provider.get(SCOPE)));
          }
        });
  }

  /** The next simulated time at which metrics are collected; {@code Long.MAX_VALUE} if never. */
  long nextCollectionNanos() {
    return nextCollectionNanos;
  }

  /** A request has been computed: log it now, record its measurements when it ends. */
  void served(ServedRequest r) {
    RequestLogs log = logs.get(r.service());
    if (log != null) {
      log.served(r);
      if (logRandom.nextInt(ACCESS_LOG_ONE_IN) == 0) {
        log.access(r);
      }
    }
    if (metrics.containsKey(r.service())) {
      long bytes = r.entry() ? responseBytes(r) : 0;
      pending.add(new Pending(r.endNanos(), sequence++, r, bytes));
    }
  }

  /** A call to a database has been computed. */
  void queried(
      String caller,
      ServiceProfile database,
      Operation query,
      long startNanos,
      long endNanos,
      Context context) {
    RequestLogs log = logs.get(caller);
    if (log != null) {
      log.query(database, query, startNanos, endNanos, context);
    }
  }

  /**
   * Simulated time has reached {@code epochNanos} and every request arriving before it has been
   * computed: records the requests that ended by then and, at the interval, collects and exports.
   */
  void advanceTo(long epochNanos) {
    while (!pending.isEmpty() && pending.peek().endNanos() <= epochNanos) {
      Pending p = pending.poll();
      clock.set(p.endNanos());
      metrics.get(p.request().service()).record(p.request(), p.responseBytes());
      exemplarTimes.measured(p.request().context(), p.endNanos());
    }
    clock.set(epochNanos);
    if (epochNanos >= nextCollectionNanos) {
      collect(epochNanos);
      nextCollectionNanos += intervalNanos;
    }
  }

  /** Forces the log processors to hand what they hold to the exporter. */
  List<CompletableResultCode> flushLogs() {
    List<CompletableResultCode> results = new ArrayList<>();
    for (SdkLoggerProvider p : loggerProviders) {
      results.add(p.forceFlush());
    }
    return results;
  }

  /**
   * Records what ended by {@code epochNanos}, exports a last, partial collection if time has passed
   * since the previous one (as the SDK's periodic reader does on shutdown), then shuts everything
   * down, the exporters last. Requests still in flight at that time are not recorded.
   */
  void close(long epochNanos) {
    if (metricExporter != null) {
      advanceTo(epochNanos);
      if (epochNanos > lastCollectionNanos) {
        collect(epochNanos);
      }
      for (SdkMeterProvider p : meterProviders) {
        p.shutdown().join(30, TimeUnit.SECONDS);
      }
      metricExporter.flush().join(30, TimeUnit.SECONDS);
      metricExporter.shutdown().join(30, TimeUnit.SECONDS);
    }
    if (logExporter != null) {
      for (SdkLoggerProvider p : loggerProviders) {
        p.shutdown().join(30, TimeUnit.SECONDS);
      }
      logExporter.flush().join(30, TimeUnit.SECONDS);
      logExporter.shutdown().join(30, TimeUnit.SECONDS);
    }
    if (failedExports > 0) {
      LOG.log(System.Logger.Level.WARNING, failedExports + " metric exports failed");
    }
  }

  private void collect(long epochNanos) {
    long elapsed = epochNanos - lastCollectionNanos;
    for (ServiceMetrics m : metrics.values()) {
      m.sample(elapsed, metricRandom);
    }
    List<MetricData> all = new ArrayList<>();
    for (ManualMetricReader reader : readers) {
      all.addAll(reader.collect());
    }
    lastCollectionNanos = epochNanos;
    List<MetricData> stamped = exemplarTimes.apply(all, epochNanos);
    if (stamped.isEmpty() || metricExporter == null) {
      return;
    }
    // Never let the exporter stop the simulation; the SDK's own readers behave the same way.
    try {
      metricExporter.export(stamped);
    } catch (RuntimeException e) {
      failedExports++;
      LOG.log(System.Logger.Level.DEBUG, "metric export failed", e);
    }
  }

  /** Response body size: log-normal around 16 KiB for a GET, 1.5 KiB otherwise, 200 B if failed. */
  private long responseBytes(ServedRequest r) {
    double median = r.failed() ? 200 : r.operation().name().startsWith("GET") ? 16_384 : 1_536;
    return Math.round(median * Math.exp(0.5 * metricRandom.nextGaussian()));
  }

  /** Lets several logger providers share one exporter; {@link #close} shuts it down once. */
  private record NonClosingLogExporter(LogRecordExporter delegate) implements LogRecordExporter {
    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      return delegate.export(logs);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
