package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpEncodingTest {

  @Test
  void protobufWhoseFirstResourceIs123BytesLongIsNotTakenForJson() {
    // Pad one attribute until the ResourceSpans frame is exactly 123 bytes: "\n{" on the wire.
    for (int pad = 0; pad < 200; pad++) {
      TracesData data =
          TracesData.newBuilder()
              .addResourceSpans(
                  ResourceSpans.newBuilder()
                      .setResource(
                          Resource.newBuilder()
                              .addAttributes(
                                  KeyValue.newBuilder()
                                      .setKey("k")
                                      .setValue(
                                          AnyValue.newBuilder().setStringValue("x".repeat(pad))))))
              .build();
      byte[] bytes = data.toByteArray();
      if (bytes[1] == '{') {
        assertThat(OtlpEncoding.detect(bytes)).isEqualTo(OtlpEncoding.OTLP_PROTO);
        return;
      }
    }
    throw new AssertionError("no padding gave a 123-byte first frame");
  }

  @Test
  void jsonWithLeadingNewlineIsJson() {
    byte[] json = "\n{\"resourceSpans\":[]}\n".getBytes(StandardCharsets.UTF_8);
    assertThat(OtlpEncoding.detect(json)).isEqualTo(OtlpEncoding.OTLP_JSON);
    assertThat(OtlpEncoding.detect(" {}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(OtlpEncoding.OTLP_JSON);
  }
}
