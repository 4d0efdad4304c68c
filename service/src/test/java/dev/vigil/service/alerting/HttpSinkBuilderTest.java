package dev.vigil.service.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The HTTP sinks refuse an incomplete configuration with the key to fix. */
class HttpSinkBuilderTest {

  @Test
  void aSinkWithoutAUrlNamesItsOwnKey() {
    assertThatThrownBy(() -> AlertmanagerSink.builder().build())
        .hasMessageContaining("sinks.alertmanager.url");
    assertThatThrownBy(() -> WebhookSink.builder().build())
        .hasMessageContaining("sinks.webhook.url");
    assertThatThrownBy(() -> SlackSink.builder().url(" ").build())
        .hasMessageContaining("sinks.slack.url");
  }

  @Test
  void aNonPositiveTimeoutOrActiveForOrABadLinkBaseIsRefused() {
    assertThatThrownBy(() -> WebhookSink.builder().url("http://h/x").timeout(Duration.ZERO).build())
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                AlertmanagerSink.builder()
                    .url("http://am:9093")
                    .activeFor(Duration.ofMinutes(-1))
                    .build())
        .hasMessageContaining("activeFor");
    assertThatThrownBy(() -> SlackSink.builder().url("http://h/x").externalUrl("not a url").build())
        .hasMessageContaining("externalUrl");
  }

  @Test
  void aCompleteConfigurationBuilds() {
    assertThat(
            AlertmanagerSink.builder()
                .url("http://am:9093/")
                .externalUrl("https://vigil.example")
                .timeout(Duration.ofSeconds(3))
                .build()
                .name())
        .isEqualTo("alertmanager");
    assertThat(WebhookSink.builder().url("http://h/x").receiver("team").build().name())
        .isEqualTo("webhook");
  }
}
