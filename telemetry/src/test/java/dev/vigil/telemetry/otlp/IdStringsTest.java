package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdStringsTest {

  @ParameterizedTest
  @ValueSource(ints = {16, 8})
  void givesWhatIdsGivesAndOneStringPerRepeatedId(int idBytes) throws Exception {
    IdStrings cache = idBytes == 16 ? IdStrings.traceIds() : IdStrings.spanIds();
    Random random = new Random(3);
    byte[] buf = new byte[40];
    for (int i = 0; i < 5_000; i++) {
      random.nextBytes(buf);
      int offset = random.nextInt(buf.length - idBytes);
      if (random.nextInt(10) == 0) {
        buf[offset + idBytes - 1] = 7; // ids that share their low bytes and so their slot
        buf[offset + idBytes - 2] = 1;
      }
      String id = cache.id(buf, offset, idBytes);
      assertThat(id).isEqualTo(HexFormat.of().formatHex(buf, offset, offset + idBytes));
      assertThat(cache.id(buf.clone(), offset, idBytes)).isSameAs(id);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 8})
  void rejectsWhatIdsRejectsEvenWhereAnEmptySlotHoldsZeros(int idBytes) {
    IdStrings cache = idBytes == 16 ? IdStrings.traceIds() : IdStrings.spanIds();
    byte[] zeros = new byte[idBytes];
    assertThatThrownBy(() -> cache.id(zeros, 0, idBytes))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage(messageOf(() -> reference(zeros, idBytes)));
    byte[] wrongLength = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    assertThatThrownBy(() -> cache.id(wrongLength, 0, wrongLength.length))
        .isInstanceOf(OtlpDecodeException.class)
        .hasMessage(messageOf(() -> reference(wrongLength, idBytes)));
  }

  private static void reference(byte[] id, int idBytes) throws OtlpDecodeException {
    if (idBytes == 16) {
      Ids.traceId(id, 0, id.length);
    } else {
      Ids.spanId(id, 0, id.length);
    }
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
