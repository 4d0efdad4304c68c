package dev.vigil.nlq;

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
 * Finds the services and operations a question names, among the live ones: by whole words (so "ad"
 * is not found in "load" or "bad"), with {@code -}, {@code _}, {@code .}, {@code /} and spaces read
 * alike ("catalog db", "catalog_db", "catalogdb" all name catalog-db); then by spelling, allowing
 * one edit in a name of four to seven letters and two in a longer one (Damerau-Levenshtein), or a
 * unique prefix of at least four letters ("recommend"); then, for a phrase where a service is
 * expected ("why is the X slow", "X 服务", any word in Latin letters of a Chinese question), by
 * meaning ({@link SemanticNames}); two edits are allowed only there. A phrase where a service is
 * expected that matches nothing is reported as an unknown service, so the answer can say so instead
 * of answering about another one.
 */
final class NameMatcher {

  /** Words of questions that are never names, so they are not matched by spelling. */
  private static final Set<String> COMMON =
      Set.of(
          "why",
          "what",
          "which",
          "when",
          "where",
          "who",
          "how",
          "is",
          "are",
          "was",
          "were",
          "the",
          "a",
          "an",
          "my",
          "our",
          "service",
          "services",
          "slow",
          "slower",
          "slowly",
          "failing",
          "fail",
          "failed",
          "failure",
          "failures",
          "error",
          "errors",
          "erroring",
          "healthy",
          "health",
          "down",
          "now",
          "root",
          "cause",
          "causes",
          "last",
          "past",
          "minutes",
          "minute",
          "hour",
          "hours",
          "day",
          "days",
          "since",
          "yesterday",
          "today",
          "show",
          "list",
          "trace",
          "traces",
          "latency",
          "compare",
          "compared",
          "with",
          "than",
          "ago",
          "check",
          "next",
          "should",
          "changed",
          "change",
          "changes",
          "affected",
          "impact",
          "alert",
          "alerts",
          "incident",
          "incidents",
          "explain",
          "about",
          "its",
          "callers",
          "caller",
          "callees",
          "calls",
          "call",
          "and",
          "for",
          "from",
          "of",
          "in",
          "on",
          "to",
          "doing",
          "it",
          "this",
          "that",
          "there",
          "any",
          "problem",
          "problems",
          "wrong",
          "ok",
          "okay",
          "fine",
          "badly",
          "bad",
          "much",
          "many",
          "users",
          "requests",
          "request",
          "timeouts",
          "timeout",
          "p95",
          "p99",
          "up",
          "system",
          "app",
          "application",
          "all",
          "status",
          "happening",
          "going",
          "do",
          "does",
          "i",
          "me",
          "right",
          "responding",
          "response",
          "times",
          "time",
          "top",
          "most",
          "likely",
          "reason",
          "reasons",
          "fix",
          "look",
          "see",
          "tell",
          "give",
          "get",
          "happened",
          "currently",
          "recent",
          "recently",
          "operation",
          "operations",
          "endpoint",
          "so",
          "very",
          "be",
          "been",
          "has",
          "have",
          "had",
          "not",
          "no",
          "yes",
          "can",
          "could",
          "will",
          "would",
          "id",
          "ids",
          // Words of operations people write in Latin letters inside Chinese questions.
          "cpu",
          "memory",
          "gc",
          "jvm",
          "sql",
          "api",
          "http",
          "https",
          "grpc",
          "rpc",
          "url",
          "qps",
          "rps",
          "p50",
          "ms",
          "log",
          "logs",
          "pod",
          "pods",
          "node",
          "host",
          "k8s");

  /** Phrases in which a service name is expected. */
  private static final List<Pattern> MENTIONS =
      List.of(
          Pattern.compile(
              "\\b(?:why|is|are|how)\\s+(?:is\\s+|are\\s+)?(?:the\\s+|my\\s+|our\\s+)?([a-z][\\w.-]*(?:\\s+[a-z][\\w.-]*)?)\\s+(?:service\\s+)?(?:so\\s+|very\\s+|still\\s+)?"
                  + "(?:slow|failing|down|erroring|healthy|broken|ok|okay|fine|doing|up|timing)"),
          Pattern.compile(
              "\\b(?:traces|calls|callers|callees|errors|latency)\\s+(?:of|for|from|in)\\s+(?:the\\s+)?([a-z][\\w.-]*)"),
          Pattern.compile("\\b([a-z][\\w.-]*)\\s+service\\b"),
          Pattern.compile("\\bservice\\s+([a-z][\\w.-]*)"),
          Pattern.compile("\\bcompare\\s+(?:the\\s+)?([a-z][\\w.-]*)"),
          Pattern.compile("([a-z][\\w.-]*)\\s*(?:服务|的)"));

  private static final Pattern LATIN_WORD = Pattern.compile("[a-z][a-z0-9]*");
  private static final Pattern LATIN_NAME = Pattern.compile("[a-z][a-z0-9_./-]*");
  private static final Pattern CJK = Pattern.compile("\\p{IsHan}");

  private final List<String> services;
  private final List<String> operations;

  /**
   * @param services the live services
   * @param operations the live operations
   */
  NameMatcher(Collection<String> services, Collection<String> operations) {
    Comparator<String> longestFirst =
        Comparator.comparingInt((String s) -> -words(s).length()).thenComparing(s -> s);
    this.services = services.stream().distinct().sorted(longestFirst).toList();
    this.operations = operations.stream().distinct().sorted(longestFirst).toList();
  }

  /** The services, operation and unknown name of a text. */
  record Names(List<String> services, String operation, String unknown) {}

  Names match(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> tokens = rawTokens(lower);
    boolean[] used = new boolean[tokens.size()];
    Set<String> found = new LinkedHashSet<>();
    // Whole tokens, longest name first: a name matches a run of one to four tokens whose letters
    // and digits are the name's ("catalog db", "catalog_db", "catalogdb"), never part of a token
    // ("cart" is not in "cart-db", "ad" not in "load").
    for (String s : services) {
      if (claim(tokens, used, compact(s))) {
        found.add(s);
      }
    }
    String operation = null;
    for (String op : operations) {
      String c = compact(op);
      if (c.length() >= 4 && claim(tokens, new boolean[tokens.size()], c)) {
        operation = op;
        break;
      }
    }
    List<String> mentions = mentions(lower);
    Set<String> slotWords = new java.util.HashSet<>();
    mentions.forEach(m -> slotWords.addAll(List.of(m.split(" "))));
    if (found.isEmpty()) {
      // By spelling: typos and prefixes of the question's own words; two edits only where a
      // service is expected, so that ordinary words ("current") are not read as names.
      for (int i = 0; i < tokens.size(); i++) {
        String c = compact(tokens.get(i));
        String s = used[i] ? null : bySpelling(c, slotWords.contains(c));
        if (s != null) {
          found.add(s);
        }
      }
    }
    String unknown = null;
    if (found.isEmpty() && operation == null) {
      for (String mention : mentions) {
        // "cart db" where only cart exists names something more specific than cart: unknown.
        String s = namesMoreThanAService(mention) ? null : SemanticNames.best(mention, services);
        if (s != null) {
          found.add(s);
          break;
        }
        if (unknown == null) {
          unknown = mention;
        }
      }
    }
    return new Names(List.copyOf(found), operation, found.isEmpty() ? unknown : null);
  }

  /** Whether the phrase is a live service's name with more words to it. */
  private boolean namesMoreThanAService(String phrase) {
    List<String> w = List.of(phrase.split(" "));
    return w.size() > 1 && services.stream().anyMatch(s -> w.contains(compact(s)));
  }

  /** Marks the first unused run of tokens that spells the compact name; whether there was one. */
  private static boolean claim(List<String> tokens, boolean[] used, String compactName) {
    for (int i = 0; i < tokens.size(); i++) {
      StringBuilder run = new StringBuilder();
      for (int j = i; j < Math.min(tokens.size(), i + 4); j++) {
        if (used[j]) {
          break;
        }
        run.append(compact(tokens.get(j)));
        if (run.length() > compactName.length()) {
          break;
        }
        if (run.toString().equals(compactName)) {
          for (int k = i; k <= j; k++) {
            used[k] = true;
          }
          return true;
        }
      }
    }
    return false;
  }

  /** The text's tokens: split at spaces, punctuation other than - _ . / and around Chinese. */
  static List<String> rawTokens(String lower) {
    List<String> out = new ArrayList<>();
    for (String t : lower.replaceAll("(\\p{IsHan})", " ").split("[^\\p{L}\\p{N}_./{}-]+")) {
      String s = t.replaceAll("^[._/-]+|[._/-]+$", "");
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private String bySpelling(String token, boolean inSlot) {
    if (token.length() < 4 || COMMON.contains(token)) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    List<String> prefixed = new ArrayList<>();
    for (String s : services) {
      String c = compact(s);
      int allowed = c.length() >= 8 && inSlot ? 2 : c.length() >= 4 ? 1 : 0;
      int d = distance(token, c);
      if (d <= allowed && d < bestDistance) {
        best = s;
        bestDistance = d;
      }
      if (c.startsWith(token)) {
        prefixed.add(s);
      }
    }
    if (best != null) {
      return best;
    }
    return prefixed.size() == 1 ? prefixed.get(0) : null;
  }

  /** Candidate service phrases: what fills a slot where a service is expected. */
  private List<String> mentions(String lower) {
    List<String> out = new ArrayList<>();
    for (Pattern p : MENTIONS) {
      Matcher m = p.matcher(lower);
      while (m.find()) {
        String phrase = m.group(1).strip();
        List<String> kept =
            tokens(words(phrase)).stream().filter(t -> !COMMON.contains(t)).toList();
        if (!kept.isEmpty()) {
          out.add(String.join(" ", kept));
        }
      }
    }
    if (CJK.matcher(lower).find()) {
      // In a Chinese question a word in Latin letters is a name ("inventory 这个服务怎么了").
      for (String raw : rawTokens(lower)) {
        String t = words(raw);
        if (LATIN_NAME.matcher(raw).matches()
            && t.length() >= 2
            && !COMMON.contains(t)
            && !out.contains(t)) {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = LATIN_WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The name as lower-case words: separators and case changes read as spaces. */
  static String words(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
        .replaceAll("(\\p{IsHan})", " $1 ")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}]+", " ")
        .strip();
  }

  private static String compact(String name) {
    return words(name).replace(" ", "");
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
