package dev.vigil.trainingdata.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** CSV and timestamp helpers shared by the NAB readers and writers. */
final class NabCsv {

  /** Parses {@code yyyy-MM-dd HH:mm:ss} with an optional fraction, as in NAB data and labels. */
  static final DateTimeFormatter PARSER =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .toFormatter();

  /** Formats timestamps as NAB data files write them. */
  static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private NabCsv() {}

  static LocalDateTime parseTimestamp(String text, Path file) {
    try {
      return LocalDateTime.parse(text.strip(), PARSER);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad timestamp '" + text + "' in " + file, e);
    }
  }

  /** Formats a value compactly without exponent, e.g. {@code 10844} or {@code -0.0000103}. */
  static String formatValue(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /**
   * Reads a CSV file with a header line into rows of cells. Handles CRLF line ends; skips blank
   * lines. NAB files contain no quoted cells.
   */
  static Table read(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = reader.readLine();
      if (header == null) {
        throw new IllegalArgumentException("empty CSV file " + file);
      }
      List<String> columns = Arrays.asList(header.strip().split(",", -1));
      List<String[]> rows = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          String[] cells = line.strip().split(",", -1);
          if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                file + ": expected " + columns.size() + " cells, got " + cells.length);
          }
          rows.add(cells);
        }
      }
      return new Table(file, List.copyOf(columns), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A parsed CSV file; rows are kept as arrays for speed and never exposed. */
  record Table(Path file, List<String> columns, List<String[]> rows) {

    int column(String name) {
      int index = columns.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException(file + " has no column '" + name + "': " + columns);
      }
      return index;
    }

    double[] doubles(String name) {
      int index = column(name);
      double[] values = new double[rows.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Double.parseDouble(rows.get(i)[index]);
      }
      return values;
    }
  }
}
