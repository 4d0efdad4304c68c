package dev.vigil.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Online log template mining with Drain (He, Zhu, Zheng and Lyu, "Drain: An Online Log Parsing
 * Approach with Fixed Depth Tree", ICWS 2017): each line is assigned to a template as it arrives,
 * and templates generalise as lines come in, so it can run on a stream.
 *
 * <p>A line is split into tokens at whitespace; tokens that look like variables (UUIDs, long
 * hexadecimal ids, numbers, anything with a digit) are masked as {@code <*>} first, the paper's
 * "preprocess by domain knowledge" step with generic rules. The fixed-depth parse tree then routes
 * the line by its token count and its first {@link #DEFAULT_DEPTH} - 2 tokens (a token with a digit
 * routes as {@code <*>}; past {@link #DEFAULT_MAX_CHILDREN} children of a node, new tokens route as
 * {@code <*>}) to a leaf holding a list of log groups. The group whose template has the largest
 * share of positions holding the line's token (wildcards do not count) wins if that share reaches
 * {@link #DEFAULT_SIMILARITY}; its template then turns every position where the line differs into
 * {@code <*>}. Otherwise the line starts a group.
 *
 * <p>A token that names the line's source location (a class and its line, {@code
 * c.s.ContactsServiceImpl#31} as logback's {@code %logger#%line} writes it, or a file and its line,
 * {@code Checkout.java:88}, {@code views.py:12}) in the line's header (a level among the first
 * {@link SeverityClass#LEVEL_TOKENS} tokens, the location among them too: a message that only
 * mentions {@code Order#123} is not located by it) is the statement's identity, not a value, and
 * where a line has one it decides the group instead of the tree: the lines of one location share
 * one group whatever their token count (a statement that prints a list has as many token counts as
 * list lengths, and Drain would split it by them, so that a change of the parameters reads as a
 * change of the statement), and lines from two locations never do, however much of their text is
 * the same (two statements of one method often log the same message with other values; merged, the
 * one that stopped being reached could not be told from the one that still is). Where two lines of
 * a location differ in length, the template keeps their common positions and ends in one {@code
 * <*>}. A logging helper that every statement calls would put all its lines in one group: coarser,
 * never wrong. At most {@link #DEFAULT_MAX_TEMPLATES} groups are kept; past that, a line that
 * matches none gets the overflow template {@link #OVERFLOW} (counted, not dropped). O(depth +
 * groups in the leaf x tokens) per line.
 *
 * <p>Written here rather than taken from a library: the Java port (bric3/drain-java) has no release
 * on Maven Central, only snapshots.
 */
public final class LogTemplateMiner {
  public static final int DEFAULT_DEPTH = 4;
  public static final double DEFAULT_SIMILARITY = 0.5;
  public static final int DEFAULT_MAX_CHILDREN = 100;
  public static final int DEFAULT_MAX_TEMPLATES = 5_000;
  public static final int MAX_TOKENS = 80;
  public static final String WILDCARD = "<*>";

  /** The template of lines that arrive once {@link #DEFAULT_MAX_TEMPLATES} groups exist. */
  public static final Template OVERFLOW = new Template(-1, "<other templates>");

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("(?:0x)?[0-9a-fA-F]{16,}");

  /**
   * A source location: a class (qualified, or capitalised) and a line after {@code #}, or a file
   * with an extension and a line after {@code :}, optionally in brackets and followed by a colon.
   */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile(
          "[(\\[]?(?:(?:[A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*|[A-Z][\\w$]*)#\\d+[)\\]]?:?"
              + "|[(\\[]?[\\w$.-]*[A-Za-z_$][\\w$-]*\\.[A-Za-z]{1,5}:\\d+[)\\]]?:?");

  private final int depth;
  private final double similarity;
  private final int maxChildren;
  private final int maxTemplates;
  private final Map<Integer, Node> byLength = new HashMap<>();
  private final List<Group> groups = new ArrayList<>();
  private final Map<String, Group> byLocation = new HashMap<>();

  /** A mined template: a stable id and its current text, which may still generalise. */
  public record Template(int id, String text) {}

  public LogTemplateMiner() {
    this(DEFAULT_DEPTH, DEFAULT_SIMILARITY, DEFAULT_MAX_CHILDREN, DEFAULT_MAX_TEMPLATES);
  }

  /**
   * @param depth depth of the parse tree, at least 3 (root, length, one token layer... leaf)
   * @param similarity share of equal positions for a line to join a group, in (0, 1]
   * @param maxChildren children of a token node before new tokens route as {@code <*>}
   * @param maxTemplates groups kept at most
   */
  public LogTemplateMiner(int depth, double similarity, int maxChildren, int maxTemplates) {
    if (depth < 3) {
      throw new IllegalArgumentException("depth must be at least 3, got " + depth);
    }
    if (!(similarity > 0 && similarity <= 1)) {
      throw new IllegalArgumentException("similarity must be in (0, 1], got " + similarity);
    }
    if (maxChildren < 1) {
      throw new IllegalArgumentException("maxChildren must be at least 1, got " + maxChildren);
    }
    if (maxTemplates < 1) {
      throw new IllegalArgumentException("maxTemplates must be at least 1, got " + maxTemplates);
    }
    this.depth = depth;
    this.similarity = similarity;
    this.maxChildren = maxChildren;
    this.maxTemplates = maxTemplates;
  }

  /** Assigns a line to a template, creating or generalising one as needed. */
  public Template add(String line) {
    String[] tokens = tokens(line);
    String location = sourceLocation(line, tokens);
    if (location != null) {
      Group g = byLocation.get(location);
      if (g != null) {
        g.mergeAnyLength(tokens);
        return g.template();
      }
      if (groups.size() >= maxTemplates) {
        return OVERFLOW;
      }
      g = new Group(groups.size(), tokens);
      groups.add(g);
      byLocation.put(location, g);
      return g.template();
    }
    Node node = byLength.computeIfAbsent(tokens.length, k -> new Node());
    for (int i = 0; i < Math.min(depth - 2, tokens.length); i++) {
      String key = hasDigit(tokens[i]) ? WILDCARD : tokens[i];
      Node next = node.children.get(key);
      if (next == null) {
        if (node.children.size() >= maxChildren) {
          key = WILDCARD;
          next = node.children.get(WILDCARD);
        }
        if (next == null) {
          next = new Node();
          node.children.put(key, next);
        }
      }
      node = next;
    }
    Group best = null;
    double bestSim = -1;
    for (Group g : node.groups) {
      double sim = g.similarity(tokens);
      if (sim > bestSim) {
        bestSim = sim;
        best = g;
      }
    }
    if (best != null && bestSim >= similarity) {
      best.merge(tokens);
      return best.template();
    }
    if (groups.size() >= maxTemplates) {
      return OVERFLOW;
    }
    Group g = new Group(groups.size(), tokens);
    groups.add(g);
    node.groups.add(g);
    return g.template();
  }

  /** The current text of a template by its id (templates generalise as lines arrive). */
  public String text(int id) {
    return id < 0 || id >= groups.size() ? OVERFLOW.text() : groups.get(id).template().text();
  }

  /** How many templates were mined. */
  public int size() {
    return groups.size();
  }

  static String[] tokens(String line) {
    String first = line.strip();
    int nl = first.indexOf('\n');
    if (nl >= 0) {
      first = first.substring(0, nl).strip();
    }
    if (first.isEmpty()) {
      return new String[0];
    }
    String[] raw = first.split("\\s+", MAX_TOKENS + 1);
    String[] out = new String[Math.min(raw.length, MAX_TOKENS)];
    for (int i = 0; i < out.length; i++) {
      out[i] = mask(raw[i]);
    }
    return out;
  }

  /** A token as a variable when it is (or holds) an id or a number. */
  static String mask(String token) {
    if (UUID.matcher(token).find() || HEX.matcher(token).find()) {
      return WILDCARD;
    }
    boolean digit = false;
    boolean letter = false;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      digit |= Character.isDigit(c);
      letter |= Character.isLetter(c);
    }
    // A bare number (1234, 12:00:01.5, 3.14) is a variable; an identifier with a digit in it
    // (Impl#31, http2) is kept for the template and routed as a variable only, but a number that
    // stands apart inside it (seatNo=388817927, (id:42), 2023-01-29,TrainNumber:) is a value, as
    // Drain3's default masking takes it; one behind '#' is a source line or an ordinal, kept, and
    // so is a source location's line (Checkout.java:88).
    if (!digit || isSourceLocation(token)) {
      return token;
    }
    return letter ? maskEmbeddedNumbers(token) : WILDCARD;
  }

  /**
   * Replaces each run of digits (with the '.', ':' and '-' between them) that is bounded on both
   * sides by the token's edge or a character that is neither a letter nor a digit, unless a '#'
   * precedes it.
   */
  static String maskEmbeddedNumbers(String token) {
    StringBuilder out = null;
    int i = 0;
    int n = token.length();
    while (i < n) {
      char c = token.charAt(i);
      boolean boundedBefore = i == 0 || !Character.isLetterOrDigit(token.charAt(i - 1));
      if (Character.isDigit(c) && boundedBefore && (i == 0 || token.charAt(i - 1) != '#')) {
        int j = i;
        while (j < n
            && (Character.isDigit(token.charAt(j))
                || ((token.charAt(j) == '.' || token.charAt(j) == ':' || token.charAt(j) == '-')
                    && j + 1 < n
                    && Character.isDigit(token.charAt(j + 1))))) {
          j++;
        }
        if (j == n || !Character.isLetterOrDigit(token.charAt(j))) {
          if (out == null) {
            out = new StringBuilder(n).append(token, 0, i);
          }
          out.append(WILDCARD);
          i = j;
          continue;
        }
        if (out != null) {
          out.append(token, i, j);
        }
        i = j;
        continue;
      }
      if (out != null) {
        out.append(c);
      }
      i++;
    }
    return out == null ? token : out.toString();
  }

  /**
   * The first token of a line's header that names its source location, or null (also when the line
   * has no level, so no header).
   */
  private static String sourceLocation(String line, String[] tokens) {
    int header = Math.min(tokens.length, SeverityClass.LEVEL_TOKENS);
    for (int i = 0; i < header; i++) {
      if (isSourceLocation(tokens[i])) {
        return SeverityClass.inferFromLine(line) == SeverityClass.UNSPECIFIED ? null : tokens[i];
      }
    }
    return null;
  }

  /** Whether a token names the source location of its line (see the class comment). */
  static boolean isSourceLocation(String token) {
    return token.indexOf('#') >= 0 || token.indexOf(':') >= 0
        ? SOURCE_LOCATION.matcher(token).matches()
        : false;
  }

  private static boolean hasDigit(String token) {
    for (int i = 0; i < token.length(); i++) {
      if (Character.isDigit(token.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    final List<Group> groups = new ArrayList<>();
  }

  private static final class Group {
    final int id;
    String[] tokens;
    Template template;

    Group(int id, String[] tokens) {
      this.id = id;
      this.tokens = tokens.clone();
    }

    double similarity(String[] line) {
      if (tokens.length == 0) {
        return 1;
      }
      // As the paper's simSeq: equal constant tokens count, wildcard positions do not (so lines
      // that share only ids and timestamps do not merge).
      int same = 0;
      for (int i = 0; i < tokens.length; i++) {
        if (!tokens[i].equals(WILDCARD) && tokens[i].equals(line[i])) {
          same++;
        }
      }
      return (double) same / tokens.length;
    }

    void merge(String[] line) {
      for (int i = 0; i < tokens.length; i++) {
        if (!tokens[i].equals(line[i]) && !tokens[i].equals(WILDCARD)) {
          tokens[i] = WILDCARD;
          template = null;
        }
      }
    }

    /** Merges a line of the same source location, which may have another token count. */
    void mergeAnyLength(String[] line) {
      if (line.length == tokens.length) {
        merge(line);
        return;
      }
      int common = Math.min(line.length, tokens.length);
      String[] shorter = Arrays.copyOf(tokens, common);
      for (int i = 0; i < common; i++) {
        if (!shorter[i].equals(line[i])) {
          shorter[i] = WILDCARD;
        }
      }
      if (common == 0 || !shorter[common - 1].equals(WILDCARD)) {
        shorter = Arrays.copyOf(shorter, common + 1);
        shorter[common] = WILDCARD;
      }
      tokens = shorter;
      template = null;
    }

    Template template() {
      if (template == null) {
        template = new Template(id, String.join(" ", tokens));
      }
      return template;
    }
  }
}
