package dev.vigil.service.http;

import java.util.Objects;

/**
 * Whether the service can do its work now, for {@code GET /ready}: 200 {@code {"status":"READY"}}
 * or 503 {@code {"status":"NOT_READY","reason":...}}. Called on an HTTP worker thread for every
 * probe: it must be quick and thread-safe.
 */
@FunctionalInterface
public interface Readiness {
  /** The current status. */
  Status check();

  /** Always ready: for a process with nothing to restore or catch up with. */
  static Readiness always() {
    return () -> Status.READY;
  }

  /**
   * A readiness answer.
   *
   * @param ready whether the service is ready
   * @param reason why it is not (for operators), empty when ready
   */
  record Status(boolean ready, String reason) {
    /** Ready. */
    public static final Status READY = new Status(true, "");

    /**
     * @throws IllegalArgumentException if not ready without a reason
     */
    public Status {
      Objects.requireNonNull(reason, "reason");
      if (!ready && reason.isBlank()) {
        throw new IllegalArgumentException("a NOT_READY status needs a reason");
      }
    }

    public static Status notReady(String reason) {
      return new Status(false, reason);
    }
  }
}
