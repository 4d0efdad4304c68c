package dev.vigil.service.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * GNU-style options ({@code --name value}, {@code --name=value}, {@code --flag}) for one
 * subcommand, checked against the options it declares; anything else is a {@link UsageException}
 * naming the valid options.
 */
public final class Args {
  private final String command;
  private final Map<String, List<String>> values = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args(String command) {
    this.command = command;
  }

  /**
   * @param flags options without a value
   * @param valued options that take a value
   */
  public static Args parse(String command, List<String> argv, Set<String> flags, Set<String> valued)
      throws UsageException {
    Args a = new Args(command);
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (!arg.startsWith("--")) {
        a.positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value in 'vigil " + command + "'");
        }
        a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--")) {
            throw new UsageException("--" + name + " needs a value in 'vigil " + command + "'");
          }
          value = argv.get(++i);
        }
        a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        Set<String> known = new TreeSet<>(flags);
        known.addAll(valued);
        throw new UsageException(
            "unknown option --"
                + name
                + " for 'vigil "
                + command
                + "'; valid options: --"
                + String.join(", --", known));
      }
    }
    return a;
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  /** The option's value; when it was given more than once, the last one. */
  public Optional<String> value(String name) {
    List<String> all = values.get(name);
    return all == null ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Every value of a repeatable option, in the order given; empty when absent. */
  public List<String> values(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  public List<String> positional() {
    return List.copyOf(positional);
  }

  /**
   * Paths given as {@code --name a,b} (comma-separated, the last occurrence) followed by the
   * positional arguments: the inputs of {@code analyze} and {@code retrain}.
   */
  public List<java.nio.file.Path> paths(String name) {
    List<java.nio.file.Path> paths = new ArrayList<>();
    value(name)
        .ifPresent(
            v -> {
              for (String p : v.split(",")) {
                if (!p.isBlank()) {
                  paths.add(java.nio.file.Path.of(p.trim()));
                }
              }
            });
    positional.forEach(p -> paths.add(java.nio.file.Path.of(p)));
    return paths;
  }

  /** An integer option within [min, max], or the default when absent. */
  public int intValue(String name, int defaultValue, int min, int max) throws UsageException {
    String v = value(name).orElse(null);
    if (v == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new UsageException(
            "--" + name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
    }
  }

  /** A decimal option within [min, max], or the default when absent. */
  public double doubleValue(String name, double defaultValue, double min, double max)
      throws UsageException {
    String v = value(name).orElse(null);
    if (v == null) {
      return defaultValue;
    }
    try {
      double n = Double.parseDouble(v.trim());
      if (!(n >= min && n <= max)) {
        throw new UsageException(
            "--" + name + " must be between " + min + " and " + max + ", got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + v + "'");
    }
  }
}
