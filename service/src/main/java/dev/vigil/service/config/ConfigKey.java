package dev.vigil.service.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One configuration key of {@code vigil run}: its dotted name (as in the YAML file, nested maps
 * flattened), its type, its default (null when it has none) and what it means.
 *
 * @param name dotted name, e.g. {@code kafka.bootstrap-servers}
 * @param type how the value is read and checked
 * @param defaultValue the default as text, or null when the key has no default
 * @param allowed the valid values of an {@link Type#ENUM} key, empty otherwise
 * @param doc one line for the user
 */
public record ConfigKey(
    String name, Type type, String defaultValue, List<String> allowed, String doc) {

  /** How a value is read and checked. */
  public enum Type {
    STRING,
    INT,
    NON_NEGATIVE_DOUBLE,
    BOOLEAN,
    DURATION,
    ENUM,
    PORT,
    URL,
    PATH,
    /**
     * Java regular expressions, one a line (a YAML list is one item a pattern); each must compile.
     */
    REGEX_LIST
  }

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowed = List.copyOf(allowed);
    if (type == Type.ENUM && allowed.isEmpty()) {
      throw new IllegalArgumentException("allowed must list the values of enum key " + name);
    }
  }

  /**
   * Checks a value for this key and returns it normalised (trimmed; enums lower-cased).
   *
   * @throws ConfigException naming the key, the value and what is valid
   */
  String check(String raw, String source) {
    String v = raw.trim();
    switch (type) {
      case STRING, PATH -> {
        return v;
      }
      case INT -> {
        try {
          Integer.parseInt(v);
          return v;
        } catch (NumberFormatException e) {
          throw invalid(raw, source, "a whole number");
        }
      }
      case NON_NEGATIVE_DOUBLE -> {
        try {
          double d = Double.parseDouble(v);
          if (!(d >= 0) || Double.isInfinite(d)) {
            throw invalid(raw, source, "a finite number >= 0");
          }
          return v;
        } catch (NumberFormatException e) {
          throw invalid(raw, source, "a number");
        }
      }
      case BOOLEAN -> {
        String b = v.toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) {
          throw invalid(raw, source, "true or false");
        }
        return b;
      }
      case DURATION -> {
        try {
          Durations.parse(v);
          return v;
        } catch (IllegalArgumentException e) {
          throw invalid(raw, source, "a duration such as 500ms, 10s, 5m, 1h or PT10S");
        }
      }
      case ENUM -> {
        String e = v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(e)) {
          throw invalid(raw, source, "one of " + String.join(", ", allowed));
        }
        return e;
      }
      case PORT -> {
        try {
          int p = Integer.parseInt(v);
          if (p < 0 || p > 65_535) {
            throw invalid(raw, source, "a port between 0 (off) and 65535");
          }
          return v;
        } catch (NumberFormatException e) {
          throw invalid(raw, source, "a port between 0 (off) and 65535");
        }
      }
      case URL -> {
        if (!v.isEmpty() && !v.startsWith("http://") && !v.startsWith("https://")) {
          throw invalid(raw, source, "an http:// or https:// URL");
        }
        return v;
      }
      case REGEX_LIST -> {
        for (String line : lines(v)) {
          try {
            Pattern.compile(line);
          } catch (PatternSyntaxException e) {
            throw new ConfigException(
                "configuration key '"
                    + name
                    + "' ("
                    + source
                    + ") holds '"
                    + line
                    + "', which is not a valid Java regular expression: "
                    + e.getDescription()
                    + " near index "
                    + e.getIndex()
                    + " (one pattern a line, or a YAML list)");
          }
        }
        return v;
      }
    }
    throw new AssertionError(type);
  }

  private ConfigException invalid(String raw, String source, String expected) {
    return new ConfigException(
        "configuration key '"
            + name
            + "' ("
            + source
            + ") must be "
            + expected
            + ", got '"
            + raw
            + "'");
  }

  /** The non-blank lines of a {@link Type#REGEX_LIST} value, stripped. */
  static List<String> lines(String v) {
    return v.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** The duration of a {@link Type#DURATION} value. */
  static Duration duration(String v) {
    return Durations.parse(v);
  }
}
