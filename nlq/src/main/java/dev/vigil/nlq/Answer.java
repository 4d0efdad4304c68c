package dev.vigil.nlq;

import java.util.List;

/**
 * A grounded answer.
 *
 * @param text the answer for people
 * @param service the service the question was about, or null
 * @param rootCause the root cause named, or null when there is none
 * @param citations the incident ids and trace ids the answer rests on
 */
public record Answer(
    String text, String service, String intent, String rootCause, List<String> citations) {
  public Answer {
    citations = List.copyOf(citations);
  }
}
