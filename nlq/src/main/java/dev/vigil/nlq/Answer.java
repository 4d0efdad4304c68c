package dev.vigil.nlq;

import java.util.List;

/**
 * A grounded answer.
 *
 * @param text the answer for people
 * @param service the service the question was about, or null
 * @param rootCause the root cause named, or null when there is none
 * @param citations the incident ids and trace ids the answer rests on
 * @param source where the text came from: {@link #TEMPLATE} or {@link #LLM}
 */
public record Answer(
    String text,
    String service,
    String intent,
    String rootCause,
    List<String> citations,
    String source) {

  /** The text was filled into a fixed template from the evidence. */
  public static final String TEMPLATE = "template";

  /** The text was written by a language model and passed the grounding check. */
  public static final String LLM = "llm";

  public Answer {
    citations = List.copyOf(citations);
    if (!source.equals(TEMPLATE) && !source.equals(LLM)) {
      throw new IllegalArgumentException("source must be template or llm, got " + source);
    }
  }
}
