package dev.vigil.nlq;

import java.util.List;

/**
 * A parsed diagnostic question.
 *
 * @param intent what it asks for
 * @param symptom {@link #LATENCY}, {@link #ERRORS} or {@link #ANY}
 * @param services the services it names, in the order found; empty: the entry services and the open
 *     incidents
 * @param operation an operation it names, or null
 * @param unknownService a name where a service was expected that matches no known service, or null
 * @param range the time range it asks about
 * @param baseline the range to compare with, or null
 * @param reference an incident or alert id it names, or null
 * @param chinese whether to answer in Chinese
 */
public record Question(
    String text,
    Intent intent,
    String symptom,
    List<String> services,
    String operation,
    String unknownService,
    TimeRange range,
    TimeRange baseline,
    String reference,
    boolean chinese) {

  public static final String LATENCY = "latency";
  public static final String ERRORS = "errors";
  public static final String ANY = "any";

  public Question {
    services = List.copyOf(services);
  }

  /** The first service named, or null. */
  public String service() {
    return services.isEmpty() ? null : services.get(0);
  }
}
