package dev.vigil.ingest;

import java.util.regex.Pattern;

/** Checks Kafka topic names at configuration time. */
final class TopicNames {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private TopicNames() {}

  /** Throws {@link IllegalArgumentException} naming {@code parameter} unless the name is legal. */
  static String check(String parameter, String topic) {
    if (topic == null
        || !LEGAL.matcher(topic).matches()
        || topic.equals(".")
        || topic.equals("..")) {
      throw new IllegalArgumentException(
          parameter
              + " must be a legal Kafka topic name (1 to 249 of [a-zA-Z0-9._-]), got "
              + (topic == null ? "null" : "\"" + topic + "\""));
    }
    return topic;
  }
}
