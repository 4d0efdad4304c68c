package dev.vigil.service.alerting;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher of a silence, as in Alertmanager's API v2: {@code name} equal ({@code isEqual},
 * the default) or not equal to {@code value}, or, with {@code isRegex}, matching (or not) the
 * regular expression {@code value}, anchored at both ends as Alertmanager anchors it. A label the
 * alert lacks has the value "".
 */
public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {

  public Matcher {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("matcher name must not be empty");
    }
    Objects.requireNonNull(value, "matcher value");
    if (isRegex) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "matcher " + name + ": '" + value + "' is not a regular expression: " + e.getMessage(),
            e);
      }
    }
  }

  public boolean matches(Map<String, String> labels) {
    String actual = labels.getOrDefault(name, "");
    boolean hit = isRegex ? Pattern.matches("^(?:" + value + ")$", actual) : value.equals(actual);
    return hit == isEqual;
  }
}
