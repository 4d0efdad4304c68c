package dev.vigil.nlq;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a language model's reply says nothing the facts do not: every number in it is a
 * number of the facts, every trace id and incident id in it is one of the facts, every service it
 * names is named in the facts, and it names the root cause the template answer named.
 *
 * <p>Why: an answer about an incident is acted on (someone opens the trace, restarts the service,
 * quotes the latency in a postmortem), and language models write plausible numbers and ids that
 * were never measured. The prompt asks the model to use only the facts; this check is what makes
 * that true. It is deliberately strict and purely lexical: a reply that rounds, converts units,
 * computes a difference or abbreviates a trace id is rejected, and the caller answers from the
 * template instead, which is always grounded. A rejected good reply costs some fluency; an accepted
 * invented number costs trust.
 *
 * <p>Numbers are compared as values ({@code 205} equals {@code 205.0}, {@code 1,200} equals {@code
 * 1200}); a percentage also matches its fraction ({@code 80%} matches a score of {@code 0.80}, and
 * {@code 0.025} matches an error rate of {@code 2.50%}). Digits that belong to a name are not
 * numbers: known ids and names are masked first, and a digit run that follows a letter ({@code
 * p95}, {@code http2}) is part of a word. Dates and times ({@code 2026-11-25T09:50:00Z}, {@code
 * 09:50}) are checked part by part against the facts' times only. Text is NFKC-normalized, so
 * full-width digits and {@code ％} in Chinese replies count too. Numbers written in words ("three",
 * "三") are not checked.
 */
final class GroundingCheck {

  /** Relative tolerance of number comparisons: for float formatting, not for rounding. */
  static final double RELATIVE_TOLERANCE = 1e-6;

  /** A trace id (32 hex digits) or span id (16): a whole token, not part of a longer one. */
  private static final Pattern HEX_ID =
      Pattern.compile("(?<![0-9A-Za-z])(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{16})(?![0-9A-Za-z])");

  /** An incident id ({@code inc-<n>}, see {@code Incident#id}). */
  private static final Pattern INCIDENT_ID =
      Pattern.compile("(?<![0-9A-Za-z_-])inc-\\d+(?![0-9A-Za-z_])", Pattern.CASE_INSENSITIVE);

  /**
   * A date, time of day or both, ISO-8601 as the facts write them or as a reply may reformat them
   * ("09:50", "11月25日"). Their parts are checked against the facts' times, never against the facts'
   * values: otherwise the day of a timestamp would let "25%" pass.
   */
  private static final Pattern TIME =
      Pattern.compile(
          "(?<![0-9A-Za-z])\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)?"
              + "(?:Z|[+-]\\d{2}:?\\d{2})?"
              + "|(?<![0-9A-Za-z:.])\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?![0-9:])"
              + "|(?:\\d{4}年)?\\d{1,2}月\\d{1,2}日");

  private static final Pattern TIME_PART = Pattern.compile("\\d+(?:\\.\\d+)?");

  /** HTTP status classes (5xx) name a kind of error, not a value. */
  private static final Pattern STATUS_CLASS = Pattern.compile("(?<![0-9A-Za-z])[1-5]xx\\b");

  /**
   * A number not glued to a preceding letter, digit or point: integers, decimals, thousands
   * separators, exponents ({@code %.4g} writes them), with an optional percent sign after it.
   */
  private static final Pattern NUMBER =
      Pattern.compile(
          "(?<![A-Za-z0-9_.])((?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|\\.\\d+)"
              + "(\\s*(?:%|percent\\b|per cent\\b))?");

  private final List<Double> allowedNumbers = new ArrayList<>();
  private final List<Double> allowedTimeParts = new ArrayList<>();
  private final Set<String> allowedHexIds = new LinkedHashSet<>();
  private final Set<String> allowedIncidents = new LinkedHashSet<>();
  private final Set<String> servicesInFacts = new LinkedHashSet<>();
  private final List<String> identifiers;
  private final List<String> knownServices;
  private final String factsLower;

  /** A URL: never in the facts, never in an answer. */
  private static final Pattern URL =
      Pattern.compile("(?i)\\b(?:https?|ftp|file)://\\S+|\\bwww\\.[a-z0-9-]+\\.\\S+");

  /** Shell syntax and command-line tools: an answer explains, it does not hand out commands. */
  private static final Pattern SHELL =
      Pattern.compile(
          "`[^`]+`|\\|\\s*(?:sh|bash|zsh|sudo)\\b|\\$\\(|&&|(?i:\\b(?:sudo|curl|wget|bash|chmod|chown|"
              + "kubectl|docker|systemctl|ssh|scp|rm\\s+-|mkfs|dd\\s+if=|powershell|iex)\\b)");

  /** A file path: absolute, home-relative or a Windows drive path. */
  private static final Pattern PATH =
      Pattern.compile(
          "(?<![\\w/{}.-])(?:~/|/(?:etc|var|usr|tmp|home|root|opt|bin|proc|dev)\\b)\\S*|\\b[A-Za-z]:\\\\\\S+|(?<![\\w/{}])/[\\w.-]+(?:/[\\w.-]+){2,}");

  /** Verbs of actions on a system; an answer may use one only where a tool suggested it. */
  private static final Pattern ACTION =
      Pattern.compile(
          "(?i)\\b(?:restart|reboot|roll ?back|revert|redeploy|deploy|scale (?:up|down|out)|kill|delete|"
              + "truncate|disable|enable|flush|purge|execute|install|uninstall|upgrade|downgrade|fail ?over|"
              + "shut ?down|terminate)\\w*\\b|重启|回滚|扩容|缩容|删除|执行|部署|升级|降级|关闭|下线");

  /**
   * @param facts the text the model was given as facts
   * @param identifiers names and ids whose digits are not values
   * @param knownServices every service Vigil knows
   */
  GroundingCheck(String facts, Collection<String> identifiers, Collection<String> knownServices) {
    this.identifiers = longestFirst(identifiers);
    this.knownServices = longestFirst(knownServices);
    String text = normalize(facts);
    this.factsLower = text.toLowerCase(Locale.ROOT);
    collect(HEX_ID, text, allowedHexIds);
    collect(INCIDENT_ID, text, allowedIncidents);
    servicesInFacts.addAll(servicesNamed(text));
    String masked = mask(text);
    Matcher times = TIME.matcher(masked);
    while (times.find()) {
      allowedTimeParts.addAll(timeParts(times.group()));
    }
    for (NumberToken n : numbers(TIME.matcher(masked).replaceAll(" "))) {
      allowedNumbers.add(n.value());
      if (n.percent()) {
        allowedNumbers.add(n.value() / 100);
      }
    }
  }

  /**
   * What in the reply is not grounded in the facts, for the log; empty when the reply passes.
   *
   * @param rootCause the service the reply must name, or null
   */
  List<String> problems(String reply, String rootCause) {
    String text = normalize(reply);
    List<String> problems = new ArrayList<>();
    refuse(URL, text, "URL", problems);
    refuse(SHELL, text, "shell command", problems);
    refuse(PATH, text, "file path", problems);
    refuse(ACTION, text, "action no tool suggested", problems);
    Set<String> hexIds = new LinkedHashSet<>();
    collect(HEX_ID, text, hexIds);
    hexIds.stream()
        .filter(id -> !allowedHexIds.contains(id))
        .forEach(id -> problems.add("trace id " + id + " is not in the facts"));
    Set<String> incidents = new LinkedHashSet<>();
    collect(INCIDENT_ID, text, incidents);
    incidents.stream()
        .filter(id -> !allowedIncidents.contains(id))
        .forEach(id -> problems.add("incident id " + id + " is not in the facts"));
    List<String> named = servicesNamed(text);
    named.stream()
        .filter(s -> !servicesInFacts.contains(s))
        .forEach(s -> problems.add("service " + s + " is not in the facts"));
    if (rootCause != null && !named.contains(rootCause)) {
      problems.add("the root cause " + rootCause + " is not named");
    }
    String masked = mask(text);
    Matcher times = TIME.matcher(masked);
    while (times.find()) {
      if (!timeParts(times.group()).stream().allMatch(t -> matches(t, allowedTimeParts))) {
        problems.add("time " + times.group() + " is not in the facts");
      }
    }
    for (NumberToken n : numbers(TIME.matcher(masked).replaceAll(" "))) {
      boolean grounded =
          matches(n.value(), allowedNumbers)
              || (n.percent() && matches(n.value() / 100, allowedNumbers));
      if (!grounded) {
        problems.add("number " + n.text() + " is not in the facts");
      }
    }
    return problems;
  }

  /** Adds a problem for each match of the pattern that the facts do not contain word for word. */
  private void refuse(Pattern p, String text, String what, List<String> problems) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      if (!factsLower.contains(m.group().toLowerCase(Locale.ROOT))) {
        problems.add(what + " '" + m.group() + "' is not in the facts");
      }
    }
  }

  private static boolean matches(double value, List<Double> allowedValues) {
    for (double allowed : allowedValues) {
      if (Math.abs(value - allowed)
          <= RELATIVE_TOLERANCE * Math.max(Math.abs(value), Math.abs(allowed))) {
        return true;
      }
    }
    return false;
  }

  /** The known services a text names, each once, also with '-' written as a space. */
  private List<String> servicesNamed(String text) {
    List<String> named = new ArrayList<>();
    String rest = text;
    // Longest first, masking each find, so that "cart" is not found again inside "cart-db".
    for (String service : knownServices) {
      for (String form : new LinkedHashSet<>(List.of(service, service.replace('-', ' ')))) {
        Matcher m = word(form, true).matcher(rest);
        if (m.find()) {
          if (!named.contains(service)) {
            named.add(service);
          }
          rest = m.replaceAll(" ");
        }
      }
    }
    return named;
  }

  /** The text with ids, names and status classes blanked out, so their digits are not numbers. */
  private String mask(String text) {
    String out = HEX_ID.matcher(text).replaceAll(" ");
    out = INCIDENT_ID.matcher(out).replaceAll(" ");
    for (String id : identifiers) {
      out = word(id, false).matcher(out).replaceAll(" ");
    }
    return STATUS_CLASS.matcher(out).replaceAll(" ");
  }

  /** Every number of a (masked) text. */
  static List<NumberToken> numbers(String text) {
    List<NumberToken> out = new ArrayList<>();
    Matcher m = NUMBER.matcher(text);
    while (m.find()) {
      String digits = m.group(1).replace(",", "");
      out.add(
          new NumberToken(
              m.group().strip(),
              Double.parseDouble(digits.startsWith(".") ? "0" + digits : digits),
              m.group(2) != null));
    }
    return out;
  }

  private static List<Double> timeParts(String time) {
    List<Double> parts = new ArrayList<>();
    Matcher m = TIME_PART.matcher(time);
    while (m.find()) {
      parts.add(Double.parseDouble(m.group()));
    }
    return parts;
  }

  /** A number as written, its value, and whether it is a percentage. */
  record NumberToken(String text, double value, boolean percent) {}

  /**
   * A name as a whole word: not glued to a letter, digit or '_' (nor to '-' for service names, so
   * that "cart" is not found in "cart-db" or "cart-related").
   */
  private static Pattern word(String name, boolean hyphenJoins) {
    String edge = hyphenJoins ? "[A-Za-z0-9_-]" : "[A-Za-z0-9_]";
    return Pattern.compile(
        "(?<!" + edge + ")" + Pattern.quote(name) + "(?!" + edge + ")",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  private static void collect(Pattern p, String text, Set<String> into) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      into.add(m.group().toLowerCase(Locale.ROOT));
    }
  }

  private static List<String> longestFirst(Collection<String> names) {
    return names.stream()
        .filter(n -> n != null && !n.isBlank())
        .map(GroundingCheck::normalize)
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(n -> n))
        .toList();
  }

  private static String normalize(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC);
  }
}
