package dev.vigil.service.alerting;

import java.util.List;

/**
 * Somewhere alert notifications go (Alertmanager, a webhook, Slack). Called by {@link
 * AlertNotifier} on its own thread, never on the pipeline's, with the alerts that became due since
 * the previous call; silenced alerts never reach a sink.
 */
public interface AlertSink {

  /** A short name for metrics and logs, e.g. {@code alertmanager}. */
  String name();

  /**
   * Delivers one batch.
   *
   * @throws DeliveryException when the receiver refused or could not be reached; {@link
   *     DeliveryException#retryable()} says whether trying again may help
   */
  void deliver(List<Alert> alerts) throws DeliveryException;
}
