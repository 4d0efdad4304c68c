package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.Signal;
import dev.vigil.telemetry.SpanRecord;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpEncoderTest {

  /** Decode random messages (every field, valid and invalid items), encode, decode: same spans. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void encodedSpansDecodeToTheSameRecords(long seed) throws Exception {
    RandomTraces random = new RandomTraces(seed);
    int checked = 0;
    for (int i = 0; i < 20; i++) {
      byte[] original = random.traces().toByteArray();
      List<SpanRecord> spans =
          OtlpDecoder.decodePartial(
                  Signal.TRACES, original, OtlpEncoding.OTLP_PROTO, Timestamps.MAX_EPOCH_NANOS)
              .batch()
              .spans();
      if (spans.isEmpty()) {
        continue;
      }
      checked++;
      byte[] encoded = OtlpEncoder.encodeSpans(spans);
      List<SpanRecord> again = OtlpDecoder.decode(Signal.TRACES, encoded).spans();
      assertThat(again).as("seed %d message %d", seed, i).isEqualTo(spans);
    }
    assertThat(checked).as("messages with valid spans").isPositive();
  }
}
