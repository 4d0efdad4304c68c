package dev.vigil.trainingdata.sim;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Simulates requests through a {@link Topology} and records them as spans with the OpenTelemetry
 * Java SDK.
 *
 * <p>Requests arrive at the entry service as a Poisson process whose rate varies over time (a daily
 * cycle and a 20-minute wave). Each operation spends its self time in two halves around its calls,
 * made one after the other; self times are log-normal around the operation's median, grow a little
 * with load, and have a slow tail. A client span wraps each call and a server span each served
 * request; calls to databases are client spans only. A failing callee makes its caller fail.
 *
 * <p>Two ways to run: {@link #start()} paces requests on the simulated clock {@code startTime +
 * speed x elapsed real time} in a background thread, for live demos; {@link #runFor(Duration)}
 * produces a stretch of simulated time as fast as the exporter takes it, for tests and training
 * data. Random draws, trace ids and span ids all come from the seed, so a run is reproducible.
 *
 * <p>With a {@linkplain Builder#metricExporter metric exporter} and a {@linkplain
 * Builder#logExporter log exporter}, each instrumented service also records OTLP metrics and logs
 * with the SDK on the same simulated clock (see {@link MetricsAndLogs}, {@link ServiceMetrics} and
 * {@link RequestLogs} for what they are); metrics are collected and exported every {@linkplain
 * Builder#metricInterval simulated interval}. Their random draws come from generators of their own,
 * so a seed gives the same spans with or without them.
 */
public final class MicroserviceSimulator implements AutoCloseable {
  /** Requests per simulated second at the entry, on average over a day. */
  public static final double DEFAULT_BASE_RATE = 12;

  public static final long DEFAULT_SEED = 42;

  /** Simulated time between two metric collections. */
  public static final Duration DEFAULT_METRIC_INTERVAL = Duration.ofSeconds(10);

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  private static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Real time between two checks of the paced clock. */
  private static final long PACING_NANOS = 10 * NANOS_PER_MILLI;

  /** In {@link #runFor}, flush the span processors after this much simulated time. */
  private static final long FLUSH_EVERY_NANOS = 2 * NANOS_PER_SECOND;

  private final Topology topology;
  private final SpanExporter exporter;
  private final double speed;
  private final double baseRate;
  private final FaultSchedule faults;
  private final long startNanos;
  private final Random random;
  private final Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
  private final Map<String, Tracer> tracers = new LinkedHashMap<>();
  private final @Nullable MetricsAndLogs signals;
  private final String[] entryOperations;
  private final double[] entryCumulative;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong spans = new AtomicLong();

  private long simNanos;
  private long nextArrivalNanos;
  private @Nullable Thread pacer;
  private volatile boolean stopping;
  private volatile @Nullable Throwable failure;
  private boolean closed;
  private final Object pauseLock = new Object();
  // Real time (System.nanoTime) at which the paced clock was held, 0 when it runs.
  private volatile long pausedAt;
  // Real time the paced clock has been held in all, excluding a hold still on.
  private volatile long pausedNanos;

  private MicroserviceSimulator(Builder b) {
    this.topology = Objects.requireNonNull(b.topology, "topology");
    this.exporter = Objects.requireNonNull(b.exporter, "exporter");
    this.speed = b.speed;
    this.baseRate = b.baseRate;
    this.faults = b.faults;
    Instant start = b.startTime != null ? b.startTime : Instant.now();
    this.startNanos = start.getEpochSecond() * NANOS_PER_SECOND + start.getNano();
    this.simNanos = startNanos;
    this.nextArrivalNanos = startNanos;
    this.random = new Random(b.seed);
    IdGenerator ids = new SeededIds(new Random(b.seed ^ 0x5DEECE66DL));
    SpanExporter shared = new NonClosingExporter(exporter);
    Map<String, Boolean> instrumented = new LinkedHashMap<>();
    for (String service : topology.services()) {
      if (topology.profile(service).isDatabase()) {
        continue;
      }
      instrumented.put(service, service.equals(topology.entry()));
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .setResource(resource(service))
              .setIdGenerator(ids)
              .addSpanProcessor(
                  BatchSpanProcessor.builder(shared)
                      .setScheduleDelay(Duration.ofMillis(b.scheduleDelayMillis))
                      .setMaxQueueSize(200_000)
                      .setMaxExportBatchSize(512)
                      .build())
              .build();
      providers.put(service, provider);
      tracers.put(service, provider.get("dev.vigil.trainingdata.sim"));
    }
    this.signals =
        b.metricExporter == null && b.logExporter == null
            ? null
            : new MetricsAndLogs(
                instrumented,
                MicroserviceSimulator::resource,
                startNanos,
                b.seed,
                new MetricsAndLogs.Settings(
                    b.metricExporter,
                    b.metricTemporality,
                    b.metricInterval,
                    b.logExporter,
                    Duration.ofMillis(b.scheduleDelayMillis)));
    Map<String, Double> mix = topology.entryMix();
    entryOperations = mix.keySet().toArray(String[]::new);
    entryCumulative = new double[entryOperations.length];
    double total = mix.values().stream().mapToDouble(Double::doubleValue).sum();
    double acc = 0;
    for (int i = 0; i < entryOperations.length; i++) {
      acc += mix.get(entryOperations[i]) / total;
      entryCumulative[i] = acc;
    }
  }

  private static Resource resource(String service) {
    return Resource.getDefault()
        .merge(
            Resource.create(
                Attributes.of(
                    SERVICE_NAME,
                    service,
                    AttributeKey.stringKey("service.namespace"),
                    "vigil-sim-shop")));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts producing requests in real time on the simulated clock, in a background thread. */
  public synchronized void start() {
    if (pacer != null || closed) {
      throw new IllegalStateException("the simulator is already started or closed");
    }
    long realStart = System.nanoTime();
    Thread t =
        new Thread(
            () -> {
              try {
                while (!stopping) {
                  if (pausedAt == 0) {
                    long running = System.nanoTime() - realStart - pausedNanos;
                    generateUntil(startNanos + (long) (running * speed));
                  }
                  LockSupport.parkNanos(PACING_NANOS);
                }
              } catch (Throwable e) {
                failure = e;
              }
            },
            "vigil-simulator");
    t.setDaemon(true);
    pacer = t;
    t.start();
  }

  /**
   * Holds the paced clock of {@link #start()}: no simulated time passes, so no request is made,
   * until {@link #resume()}. For a demo that must wait for something (a model trained on its
   * warm-up) before the simulated time it is about goes by. Holding a held clock does nothing.
   */
  public void pause() {
    synchronized (pauseLock) {
      if (pausedAt == 0) {
        pausedAt = Math.max(1, System.nanoTime());
      }
    }
  }

  /** Lets the paced clock run again from where {@link #pause()} held it. */
  public void resume() {
    synchronized (pauseLock) {
      if (pausedAt != 0) {
        pausedNanos += System.nanoTime() - pausedAt;
        pausedAt = 0;
      }
    }
  }

  /** Real time the paced clock has been held so far, a hold still on included. */
  public Duration pausedFor() {
    synchronized (pauseLock) {
      long held = pausedAt == 0 ? 0 : System.nanoTime() - pausedAt;
      return Duration.ofNanos(pausedNanos + held);
    }
  }

  /**
   * Produces the next {@code simulated} stretch of time as fast as possible, in the calling thread,
   * flushing the spans (and logs) to the exporter every two simulated seconds and before returning;
   * metrics are exported at each metric interval passed.
   */
  public synchronized void runFor(Duration simulated) {
    if (pacer != null || closed) {
      throw new IllegalStateException("runFor cannot be used on a started or closed simulator");
    }
    long until = simNanos + simulated.toNanos();
    // Hand spans to the exporter every couple of simulated seconds, as a live system's batch
    // processors do: otherwise one service's spans could reach the consumer minutes (of simulated
    // time) after another's, which no watermark should have to absorb.
    long step = FLUSH_EVERY_NANOS;
    while (simNanos < until) {
      generateUntil(Math.min(until, simNanos + step));
      flushAll();
    }
  }

  /** The simulated time reached so far. */
  public synchronized Instant simulatedTime() {
    return Instant.ofEpochSecond(0, simNanos);
  }

  /** Requests simulated so far. */
  public long requests() {
    return requests.get();
  }

  /** Spans ended so far (each is handed to the exporter). */
  public long spans() {
    return spans.get();
  }

  /**
   * Stops producing, flushes every span to the exporter, then shuts the exporter down; likewise for
   * metrics (a last collection, if simulated time passed since the previous one) and logs.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopping = true;
      t = pacer;
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flushAll();
    for (SdkTracerProvider p : providers.values()) {
      p.shutdown().join(30, TimeUnit.SECONDS);
    }
    exporter.flush().join(30, TimeUnit.SECONDS);
    exporter.shutdown().join(30, TimeUnit.SECONDS);
    if (signals != null) {
      signals.close(simNanos);
    }
    Throwable f = failure;
    if (f != null) {
      throw new IllegalStateException("the simulator failed", f);
    }
  }

  private void flushAll() {
    List<CompletableResultCode> results = new ArrayList<>();
    for (SdkTracerProvider p : providers.values()) {
      results.add(p.forceFlush());
    }
    if (signals != null) {
      results.addAll(signals.flushLogs());
    }
    CompletableResultCode.ofAll(results).join(60, TimeUnit.SECONDS);
  }

  /**
   * Computes the requests arriving before {@code untilNanos}. With metrics, stops at each
   * collection time on the way to record what ended by then and collect; the arrivals, and so the
   * spans, are the same either way.
   */
  private void generateUntil(long untilNanos) {
    while (true) {
      long stop =
          signals == null ? untilNanos : Math.min(untilNanos, signals.nextCollectionNanos());
      while (nextArrivalNanos < stop && !stopping) {
        request(nextArrivalNanos);
        double rate = baseRate * loadFactor(nextArrivalNanos);
        nextArrivalNanos += (long) (-Math.log(1 - random.nextDouble()) / rate * NANOS_PER_SECOND);
      }
      if (stopping) {
        break;
      }
      if (signals != null) {
        signals.advanceTo(stop);
      }
      if (stop >= untilNanos) {
        break;
      }
    }
    simNanos = Math.max(simNanos, untilNanos);
  }

  /**
   * Load relative to the daily average: a daily cycle (trough at 04:00, peak at 16:00 UTC, ±30%)
   * and a 20-minute wave (±15%).
   */
  static double loadFactor(long epochNanos) {
    double seconds = epochNanos / (double) NANOS_PER_SECOND;
    double day = 2 * Math.PI * ((seconds % 86_400) / 86_400 - 10.0 / 24);
    double wave = 2 * Math.PI * (seconds % 1_200) / 1_200;
    return 1 + 0.3 * Math.sin(day) + 0.15 * Math.sin(wave);
  }

  private void request(long atNanos) {
    requests.incrementAndGet();
    double u = random.nextDouble();
    int i = 0;
    while (i < entryCumulative.length - 1 && u > entryCumulative[i]) {
      i++;
    }
    List<Fault> active = faults.activeAt(atNanos);
    serve(topology.entry(), entryOperations[i], atNanos, Context.root(), active, true);
  }

  /** A served request: a server span and its calls. Returns its end time; negative if it failed. */
  private long serve(
      String service,
      String operationName,
      long start,
      Context parent,
      List<Fault> active,
      boolean entry) {
    Operation op = topology.profile(service).operation(operationName);
    var builder =
        tracers
            .get(service)
            .spanBuilder(op.name())
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS);
    if (entry) {
      int space = op.name().indexOf(' ');
      builder.setAttribute(HTTP_METHOD, op.name().substring(0, space));
      builder.setAttribute(HTTP_ROUTE, op.name().substring(space + 1));
    } else {
      int slash = op.name().indexOf('/');
      builder.setAttribute(RPC_SYSTEM, "grpc");
      builder.setAttribute(RPC_SERVICE, op.name().substring(0, slash));
      builder.setAttribute(RPC_METHOD, op.name().substring(slash + 1));
    }
    Span span = builder.startSpan();
    Context context = parent.with(span);
    long self = selfTime(service, op, start, active);
    long t = start + self / 2;
    boolean failed = false;
    String reason = null;
    ServedRequest.Failure failure = null;
    if (random.nextDouble() < errorRate(service, active)) {
      failed = true;
      reason = "injected failure in " + service;
      failure = ServedRequest.Failure.injected(service);
    } else {
      for (Call call : op.calls()) {
        if (call.probability() < 1 && random.nextDouble() >= call.probability()) {
          continue;
        }
        long end = call(service, call, t, context, active);
        t = Math.abs(end) + 50_000;
        if (end < 0) {
          failed = true;
          reason = call.callee() + " failed";
          ServiceProfile callee = topology.profile(call.callee());
          failure =
              callee.isDatabase()
                  ? ServedRequest.Failure.database(callee, call.operation())
                  : ServedRequest.Failure.callee(call.callee());
          break;
        }
      }
    }
    t += self - self / 2;
    if (entry) {
      span.setAttribute(HTTP_STATUS, failed ? 500L : 200L);
    }
    if (failed) {
      span.setStatus(StatusCode.ERROR, reason);
    }
    span.end(t, TimeUnit.NANOSECONDS);
    spans.incrementAndGet();
    if (signals != null) {
      signals.served(new ServedRequest(service, op, entry, start, t, self, context, failure));
    }
    return failed ? -t : t;
  }

  /** A client span around a call; returns its end time, negative if the call failed. */
  private long call(String caller, Call call, long start, Context parent, List<Fault> active) {
    ServiceProfile callee = topology.profile(call.callee());
    var builder =
        tracers
            .get(caller)
            .spanBuilder(call.operation())
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAttribute(SERVER_ADDRESS, callee.name());
    long end;
    boolean failed;
    if (callee.isDatabase()) {
      builder.setAttribute(DB_SYSTEM, Objects.requireNonNull(callee.dbSystem()));
      builder.setAttribute(PEER_SERVICE, callee.name());
      builder.setAttribute(DB_OPERATION, call.operation());
      Span span = builder.startSpan();
      Operation op = callee.operation(call.operation());
      end = start + selfTime(callee.name(), op, start, active);
      failed = random.nextDouble() < errorRate(callee.name(), active);
      if (failed) {
        span.setStatus(StatusCode.ERROR, "injected failure in " + callee.name());
      }
      span.end(end, TimeUnit.NANOSECONDS);
      if (signals != null) {
        signals.queried(caller, callee, op, start, end, parent);
      }
    } else {
      int slash = call.operation().indexOf('/');
      builder.setAttribute(RPC_SYSTEM, "grpc");
      builder.setAttribute(RPC_SERVICE, call.operation().substring(0, slash));
      builder.setAttribute(RPC_METHOD, call.operation().substring(slash + 1));
      Span span = builder.startSpan();
      long network = networkDelay();
      long served =
          serve(callee.name(), call.operation(), start + network, parent.with(span), active, false);
      failed = served < 0;
      end = Math.abs(served) + networkDelay();
      if (failed) {
        span.setStatus(StatusCode.ERROR, callee.name() + " returned an error");
      }
      span.end(end, TimeUnit.NANOSECONDS);
    }
    spans.incrementAndGet();
    return failed ? -end : end;
  }

  /** Self time in nanoseconds: log-normal around the median, load-dependent, with a slow tail. */
  private long selfTime(String service, Operation op, long atNanos, List<Fault> active) {
    double load = loadFactor(atNanos);
    double millis = op.selfMillis() * (1 + 0.15 * (load - 1)) * Math.exp(0.3 * gaussian());
    if (random.nextDouble() < 0.01) {
      millis *= 3 + 3 * random.nextDouble();
    }
    for (Fault f : active) {
      if (f.kind() == Fault.Kind.LATENCY && f.service().equals(service)) {
        double extra = f.extraLatencyMillis() + f.extraSelfShare() * op.selfMillis();
        millis += extra * Math.exp(0.2 * gaussian());
      }
    }
    return Math.max(20_000L, (long) (millis * NANOS_PER_MILLI));
  }

  private double errorRate(String service, List<Fault> active) {
    double rate = 0.0005;
    for (Fault f : active) {
      if (f.kind() == Fault.Kind.ERRORS && f.service().equals(service)) {
        rate = Math.max(rate, f.errorRate());
      }
    }
    return rate;
  }

  private long networkDelay() {
    return (long) (200_000 * Math.exp(0.25 * gaussian()));
  }

  private double gaussian() {
    return random.nextGaussian();
  }

  /** Trace and span ids from a seeded generator, so that runs are reproducible. */
  private static final class SeededIds implements IdGenerator {
    private final Random random;

    SeededIds(Random random) {
      this.random = random;
    }

    @Override
    public synchronized String generateSpanId() {
      return hex(nonZero());
    }

    @Override
    public synchronized String generateTraceId() {
      return hex(nonZero()) + hex(random.nextLong());
    }

    private long nonZero() {
      long v;
      do {
        v = random.nextLong();
      } while (v == 0);
      return v;
    }

    private static String hex(long v) {
      String s = Long.toHexString(v);
      return "0".repeat(16 - s.length()) + s;
    }
  }

  /** Lets several tracer providers share one exporter; the simulator shuts it down once. */
  private record NonClosingExporter(SpanExporter delegate) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return delegate.export(spans);
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

  /** Builds a {@link MicroserviceSimulator}. */
  public static final class Builder {
    private @Nullable Topology topology;
    private @Nullable SpanExporter exporter;
    private long seed = DEFAULT_SEED;
    private double speed = 1;
    private double baseRate = DEFAULT_BASE_RATE;
    private @Nullable Instant startTime;
    private FaultSchedule faults = FaultSchedule.none();
    private long scheduleDelayMillis = 100;
    private @Nullable MetricExporter metricExporter;
    private @Nullable LogRecordExporter logExporter;
    private Duration metricInterval = DEFAULT_METRIC_INTERVAL;
    private AggregationTemporalitySelector metricTemporality =
        AggregationTemporalitySelector.alwaysCumulative();

    private Builder() {}

    public Builder topology(Topology topology) {
      this.topology = topology;
      return this;
    }

    /** Where spans go; the simulator shuts it down on {@link #close()}. */
    public Builder exporter(SpanExporter exporter) {
      this.exporter = exporter;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Simulated seconds per real second in {@link #start()} mode. */
    public Builder speed(double speed) {
      if (!(speed > 0)) {
        throw new IllegalArgumentException("speed must be positive, got " + speed);
      }
      this.speed = speed;
      return this;
    }

    /** Entry requests per simulated second, on average over a day. */
    public Builder baseRatePerSecond(double rate) {
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be positive, got " + rate);
      }
      this.baseRate = rate;
      return this;
    }

    /** Start of the simulated clock (default: now). */
    public Builder startTime(Instant start) {
      this.startTime = start;
      return this;
    }

    public Builder faults(FaultSchedule faults) {
      this.faults = faults;
      return this;
    }

    /**
     * Where metrics go (default: none are made); the simulator shuts it down on {@link #close()}.
     * The simulator collects them itself, at {@link #metricInterval}, with {@link
     * #metricTemporality}.
     */
    public Builder metricExporter(MetricExporter exporter) {
      this.metricExporter = Objects.requireNonNull(exporter, "exporter");
      return this;
    }

    /** Where log records go (default: none are made); the simulator shuts it down on close. */
    public Builder logExporter(LogRecordExporter exporter) {
      this.logExporter = Objects.requireNonNull(exporter, "exporter");
      return this;
    }

    /**
     * Simulated time between two metric collections, {@link #DEFAULT_METRIC_INTERVAL} by default.
     */
    public Builder metricInterval(Duration interval) {
      if (interval.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("interval must be at least 1 ms, got " + interval);
      }
      this.metricInterval = interval;
      return this;
    }

    /**
     * Temporality of sums and histograms: cumulative by default ({@code
     * AggregationTemporalitySelector.alwaysCumulative()}); {@code deltaPreferred()} for delta.
     */
    public Builder metricTemporality(AggregationTemporalitySelector temporality) {
      this.metricTemporality = Objects.requireNonNull(temporality, "temporality");
      return this;
    }

    /** Batch span (and log record) processor delay, in real milliseconds. */
    public Builder scheduleDelayMillis(long millis) {
      this.scheduleDelayMillis = millis;
      return this;
    }

    public MicroserviceSimulator build() {
      return new MicroserviceSimulator(this);
    }
  }
}
