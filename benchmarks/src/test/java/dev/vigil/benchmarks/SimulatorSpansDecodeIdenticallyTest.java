package dev.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.otlp.DecodeResult;
import dev.vigil.telemetry.otlp.OtlpDecodeException;
import dev.vigil.telemetry.otlp.OtlpDecoder;
import dev.vigil.telemetry.otlp.OtlpDecoder.TraceProtobufDecoding;
import dev.vigil.telemetry.otlp.OtlpEncoding;
import dev.vigil.telemetry.otlp.Timestamps;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The benchmarked input through both protobuf trace decoders: OTLP made by the OpenTelemetry SDK's
 * marshaler from simulated traffic, whole and damaged, gives the same records or the same error.
 * (The telemetry module's {@code StreamingTraceDecoderTest} covers the rest of the schema.)
 */
class SimulatorSpansDecodeIdenticallyTest {

  @Test
  void sdkExportsAndDamagedCopiesDecodeTheSameWithBothDecoders() throws Exception {
    List<SimulatedTraffic.Export> exports = SimulatedTraffic.exports(5_000, 7);
    Random random = new Random(7);
    long spans = 0;
    for (SimulatedTraffic.Export export : exports) {
      List<Object> streaming = outcome(export.bytes(), TraceProtobufDecoding.STREAMING);
      assertThat(streaming).isEqualTo(outcome(export.bytes(), TraceProtobufDecoding.PARSE_FROM));
      spans += ((DecodeResult) streaming.get(0)).batch().spans().size();
      for (int i = 0; i < 20; i++) {
        byte[] damaged = damage(export.bytes(), random);
        assertThat(outcome(damaged, TraceProtobufDecoding.STREAMING))
            .as("damaged export %d", i)
            .isEqualTo(outcome(damaged, TraceProtobufDecoding.PARSE_FROM));
      }
    }
    assertThat(spans).isEqualTo(exports.stream().mapToLong(SimulatedTraffic.Export::spans).sum());
  }

  private static List<Object> outcome(byte[] bytes, TraceProtobufDecoding decoding) {
    try {
      return List.of(
          OtlpDecoder.decodePartial(
              Signal.TRACES, bytes, OtlpEncoding.OTLP_PROTO, Timestamps.MAX_EPOCH_NANOS, decoding));
    } catch (OtlpDecodeException e) {
      return List.of(e.reason(), String.valueOf(e.getMessage()));
    }
  }

  private static byte[] damage(byte[] bytes, Random random) {
    int at = random.nextInt(bytes.length);
    if (random.nextBoolean()) {
      return Arrays.copyOf(bytes, at);
    }
    byte[] b = bytes.clone();
    b[at] = (byte) random.nextInt();
    return b;
  }
}
