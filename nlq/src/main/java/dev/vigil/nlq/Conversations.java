package dev.vigil.nlq;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Conversations for follow-up questions ("and yesterday?", "what about its callers?"): each id
 * remembers its last question, so the next one can take what it leaves out. Bounded: the least
 * recently used conversation is forgotten past {@link #DEFAULT_MAX_CONVERSATIONS}. Thread-safe.
 */
public final class Conversations {

  /** Conversations remembered at most. */
  public static final int DEFAULT_MAX_CONVERSATIONS = 1000;

  private final DiagnosticAnswerer answerer;
  private final QuestionParser parser;
  private final Map<String, Question> last;

  public Conversations(DiagnosticAnswerer answerer, QuestionParser parser, int maxConversations) {
    if (maxConversations < 1) {
      throw new IllegalArgumentException(
          "maxConversations must be at least 1, got " + maxConversations);
    }
    this.answerer = Objects.requireNonNull(answerer, "answerer");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.last =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Question> eldest) {
            return size() > maxConversations;
          }
        };
  }

  public Conversations(DiagnosticAnswerer answerer) {
    this(answerer, QuestionParser.utc(), DEFAULT_MAX_CONVERSATIONS);
  }

  /** A new conversation id. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Answers a question of a conversation.
   *
   * @param conversation the conversation id, or null for a question on its own
   */
  public Answer ask(String conversation, String text, LiveState state) {
    Question previous;
    synchronized (last) {
      previous = conversation == null ? null : last.get(conversation);
    }
    Question q = parser.parse(text, state, previous);
    Answer a = answerer.answer(q, state);
    if (conversation != null) {
      synchronized (last) {
        last.put(conversation, q);
      }
    }
    return a;
  }
}
