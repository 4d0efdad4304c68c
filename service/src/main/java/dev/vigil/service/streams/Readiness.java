package dev.vigil.service.streams;

/**
 * Whether an instance is ready to serve, and if not, why.
 *
 * @param reason empty when ready
 */
public record Readiness(boolean ready, String reason) {
  public static Readiness yes() {
    return new Readiness(true, "");
  }

  public static Readiness notReady(String reason) {
    return new Readiness(false, reason);
  }
}
