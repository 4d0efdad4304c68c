package dev.vigil.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.TelemetryBatch;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpDecoder.TraceProtobufDecoding;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding simulator-made OTLP trace exports into span records: {@code parseFrom} plus a walk of
 * the message tree against the streaming decoder, on the same bytes in the same run. One operation
 * is one span, so the score is spans per second (one thread).
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat /tmp/benchcp.txt) org.openjdk.jmh.Main DecodeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class DecodeBenchmark {
  /** Spans decoded per benchmark invocation. */
  static final int SPANS = 20_000;

  private byte[][] payloads;

  @Setup(Level.Trial)
  public void setup() {
    List<SimulatedTraffic.Export> exports = SimulatedTraffic.exports(SPANS, 42);
    // Keep whole exports up to exactly SPANS spans, so that @OperationsPerInvocation is true.
    int spans = 0;
    int n = 0;
    while (spans + exports.get(n).spans() <= SPANS) {
      spans += exports.get(n++).spans();
    }
    payloads = new byte[n + 1][];
    for (int i = 0; i < n; i++) {
      payloads[i] = exports.get(i).bytes();
    }
    // The last export is cut to the remaining spans.
    payloads[n] = firstSpans(exports.get(n).bytes(), SPANS - spans);
  }

  /** The message with only its first {@code n} spans. */
  static byte[] firstSpans(byte[] export, int n) {
    try {
      TracesData.Builder data = TracesData.parseFrom(export).toBuilder();
      int left = n;
      for (ResourceSpans.Builder rs : data.getResourceSpansBuilderList()) {
        for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
          List<Span> kept =
              List.copyOf(ss.getSpansList().subList(0, Math.min(left, ss.getSpansCount())));
          left -= kept.size();
          ss.clearSpans().addAllSpans(kept);
        }
      }
      return data.build().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void parseFrom(Blackhole bh) throws OtlpDecodeException {
    decodeAll(TraceProtobufDecoding.PARSE_FROM, bh);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void streaming(Blackhole bh) throws OtlpDecodeException {
    decodeAll(TraceProtobufDecoding.STREAMING, bh);
  }

  private void decodeAll(TraceProtobufDecoding decoding, Blackhole bh) throws OtlpDecodeException {
    for (byte[] p : payloads) {
      TelemetryBatch batch =
          OtlpDecoder.decode(Signal.TRACES, p, OtlpEncoding.OTLP_PROTO, decoding);
      bh.consume(batch);
    }
  }
}
