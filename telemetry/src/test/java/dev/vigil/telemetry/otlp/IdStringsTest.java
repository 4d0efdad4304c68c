package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceIdStringsTest {
  private final TraceIdStrings cache = TraceIdStrings.forThisThread();

  @Test
  void givesWhatIdsGivesAndOneStringPerRepeatedId() throws Exception {
    Random random = new Random(3);
    byte[] buf = new byte[40];
    for (int i = 0; i < 5_000; i++) {
      random.nextBytes(buf);
      int offset = random.nextInt(buf.length - 16);
      if (random.nextInt(10) == 0) {
        buf[offset + 15] = 7; // ids that share their low bytes and so their slot
        buf[offset + 14] = 1;
      }
      String id = cache.traceId(buf, offset, 16);
      assertThat(id).isEqualTo(HexFormat.of().formatHex(buf, offset, offset + 16));
      assertThat(cache.traceId(buf.clone(), offset, 16)).isSameAs(id);
    }
  }

  @Test
  void rejectsWhatIdsRejectsEvenWhereAnEmptySlotHoldsZeros() {
    byte[] zeros = new byte[16];
    assertThatThrownBy(() -> cache.traceId(zeros, 0, 16))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage(messageOf(() -> Ids.traceId(zeros, 0, 16)));
    byte[] shortId = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThatThrownBy(() -> cache.traceId(shortId, 0, 8))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage(messageOf(() -> Ids.traceId(shortId, 0, 8)));
  }

  private interface Decode {
    void run() throws OtlpDecodeException;
  }

  private static String messageOf(Decode decode) {
    try {
      decode.run();
    } catch (OtlpDecodeException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a rejection");
  }
}
