package dev.vigil.nlq;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Blanks out what must not leave the process (to a language model): text matching any of its
 * patterns becomes {@value #MASK}. The defaults cover e-mail addresses, IPv4 addresses, bearer
 * tokens, {@code key=value} secrets (password, secret, token, api key) and card-like digit runs.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";

  /** The default patterns; see the class comment. */
  public static final List<String> DEFAULT_PATTERNS =
      List.of(
          "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
          "(?<![\\d.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\d.])",
          "(?i)bearer\\s+[A-Za-z0-9._~+/=-]+",
          "(?i)(?:password|passwd|pwd|secret|token|api[_-]?key)\\s*[=:]\\s*\\S+",
          "(?<!\\d)(?:\\d[ -]?){13,19}(?!\\d)");

  private final List<Pattern> patterns;

  private Redactor(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** A redactor with {@link #DEFAULT_PATTERNS}. */
  public static Redactor defaults() {
    return of(DEFAULT_PATTERNS);
  }

  /**
   * A redactor with {@link #DEFAULT_PATTERNS} and these regular expressions (Java syntax) too.
   *
   * @throws IllegalArgumentException naming the pattern that does not compile
   */
  public static Redactor defaultsAnd(List<String> regexes) {
    List<String> all = new ArrayList<>(DEFAULT_PATTERNS);
    all.addAll(regexes);
    return of(all);
  }

  /** The patterns, as given. */
  public List<String> patterns() {
    return patterns.stream().map(Pattern::pattern).toList();
  }

  /**
   * A redactor with these regular expressions (Java syntax).
   *
   * @throws IllegalArgumentException naming the pattern that does not compile
   */
  public static Redactor of(List<String> regexes) {
    List<Pattern> out = new ArrayList<>();
    for (String r : regexes) {
      try {
        out.add(Pattern.compile(r));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "redaction pattern '"
                + r
                + "' is not a valid regular expression: "
                + e.getDescription());
      }
    }
    return new Redactor(out);
  }

  public String redact(String text) {
    String out = text;
    for (Pattern p : patterns) {
      out = p.matcher(out).replaceAll(MASK);
    }
    return out;
  }
}
