package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerNamesTest {

  @Test
  void thePeerServiceIsPreferredOverTheAddressAndTheSystem() {
    assertThat(
            PeerNames.of(
                client(
                    Map.of(
                        "db.system",
                        "redis",
                        "server.address",
                        "10.0.0.7",
                        "peer.service",
                        "cache"))))
        .isEqualTo("cache");
    assertThat(PeerNames.of(client(Map.of("db.system", "redis", "server.address", "10.0.0.7"))))
        .isEqualTo("10.0.0.7");
  }

  @Test
  void theOlderNetPeerNameCountsAndBlankValuesDoNot() {
    assertThat(PeerNames.of(client(Map.of("server.address", " ", "net.peer.name", "orders-db"))))
        .isEqualTo("orders-db");
    assertThat(PeerNames.of(client(Map.of("http.method", "GET")))).isNull();
  }

  private static SpanRecord client(Map<String, Object> attributes) {
    return new SpanRecord(
        "0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331",
        "",
        Resource.ofService("front"),
        "GET",
        SpanKind.CLIENT,
        1_000L,
        2_000L,
        StatusCode.UNSET,
        attributes);
  }
}
