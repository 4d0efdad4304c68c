package dev.vigil.service.alerting;

/** A failed delivery to a sink, with whether a retry may succeed (5xx, 429, I/O) or not (4xx). */
public final class DeliveryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public DeliveryException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
