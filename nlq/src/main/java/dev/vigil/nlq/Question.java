package dev.vigil.nlq;

import java.time.Duration;

/**
 * A parsed diagnostic question.
 *
 * @param service the service asked about, or null for the whole system
 * @param range how far back to look
 * @param chinese whether to answer in Chinese
 */
public record Question(
    String text, String service, Intent intent, Duration range, boolean chinese) {

  /** What the user wants to know. */
  public enum Intent {
    LATENCY,
    ERRORS,
    GENERAL
  }
}
