package dev.vigil.trainingdata.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Numenta Anomaly Benchmark v1.1 corpus: the data files, their labelled windows ({@code
 * labels/combined_windows.json}) and the scoring profiles ({@code config/profiles.json}).
 *
 * <p>Every row is kept in file order, including the repeated timestamps of 8 files, because NAB's
 * probationary length and window widths count rows. Series are ordered by relative path. Loading
 * checks that every window boundary is the timestamp of a row and that windows are in order and do
 * not overlap, so that scoring cannot silently skip a window.
 *
 * <p>Lavin, A. and Ahmad, S. "Evaluating Real-time Anomaly Detection Algorithms - the Numenta
 * Anomaly Benchmark", IEEE ICMLA 2015.
 */
public final class NabCorpus {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<NabSeries> series;
  private final Map<String, NabSeries> byPath;
  private final List<NabProfile> profiles;

  private NabCorpus(List<NabSeries> series, List<NabProfile> profiles) {
    this.series = List.copyOf(series);
    this.profiles = List.copyOf(profiles);
    Map<String, NabSeries> map = new LinkedHashMap<>();
    series.forEach(s -> map.put(s.relativePath(), s));
    this.byPath = map;
  }

  /**
   * Loads the corpus from a NAB root folder holding {@code data/}, {@code labels/} and {@code
   * config/}.
   *
   * @throws IllegalArgumentException if a file is malformed or the labels do not match the data
   * @throws UncheckedIOException if a file cannot be read
   */
  public static NabCorpus load(Path root) {
    Map<String, List<NabWindow>> windows =
        readWindows(root.resolve("labels/combined_windows.json"));
    List<NabSeries> series = new ArrayList<>();
    for (Path file : dataFiles(root.resolve("data"))) {
      String category = file.getParent().getFileName().toString();
      String fileName = file.getFileName().toString();
      String name = fileName.substring(0, fileName.length() - ".csv".length());
      String relativePath = category + "/" + fileName;
      List<NabWindow> fileWindows = windows.remove(relativePath);
      if (fileWindows == null) {
        throw new IllegalArgumentException("no entry in combined_windows.json for " + relativePath);
      }
      List<NabRow> rows = readRows(file);
      checkWindows(relativePath, rows, fileWindows);
      series.add(new NabSeries(category, name, rows, fileWindows));
    }
    if (!windows.isEmpty()) {
      throw new IllegalArgumentException("labels for missing data files: " + windows.keySet());
    }
    return new NabCorpus(series, readProfiles(root.resolve("config/profiles.json")));
  }

  /** All series, ordered by relative path. */
  public List<NabSeries> series() {
    return series;
  }

  /**
   * The series with the given relative path, e.g. {@code realKnownCause/nyc_taxi.csv}.
   *
   * @throws IllegalArgumentException if there is no such series
   */
  public NabSeries series(String relativePath) {
    NabSeries found = byPath.get(relativePath);
    if (found == null) {
      throw new IllegalArgumentException("no NAB series " + relativePath);
    }
    return found;
  }

  /** The profiles of {@code config/profiles.json}, in file order. */
  public List<NabProfile> profiles() {
    return profiles;
  }

  /** The total number of labelled windows (116 in NAB v1.1). */
  public int windowCount() {
    return series.stream().mapToInt(s -> s.windows().size()).sum();
  }

  private static List<Path> dataFiles(Path dataDir) {
    try (Stream<Path> files = Files.walk(dataDir, 2)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".csv"))
          .filter(p -> !p.getParent().equals(dataDir))
          .sorted(
              (a, b) ->
                  dataDir.relativize(a).toString().compareTo(dataDir.relativize(b).toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dataDir, e);
    }
  }

  private static List<NabRow> readRows(Path file) {
    NabCsv.Table table = NabCsv.read(file);
    int time = table.column("timestamp");
    int value = table.column("value");
    List<NabRow> rows = new ArrayList<>(table.rows().size());
    for (String[] cells : table.rows()) {
      rows.add(
          new NabRow(NabCsv.parseTimestamp(cells[time], file), Double.parseDouble(cells[value])));
    }
    return rows;
  }

  private static void checkWindows(String path, List<NabRow> rows, List<NabWindow> windows) {
    Set<LocalDateTime> timestamps = new HashSet<>();
    rows.forEach(r -> timestamps.add(r.timestamp()));
    LocalDateTime previousEnd = null;
    for (NabWindow window : windows) {
      if (!timestamps.contains(window.start()) || !timestamps.contains(window.end())) {
        throw new IllegalArgumentException(path + ": window boundary is not a row: " + window);
      }
      if (previousEnd != null && !window.start().isAfter(previousEnd)) {
        throw new IllegalArgumentException(
            path + ": windows overlap or are unordered at " + window);
      }
      previousEnd = window.end();
    }
  }

  private static Map<String, List<NabWindow>> readWindows(Path file) {
    JsonNode root = readJson(file);
    Map<String, List<NabWindow>> windows = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      List<NabWindow> list = new ArrayList<>();
      for (JsonNode limits : entry.getValue()) {
        list.add(
            new NabWindow(
                NabCsv.parseTimestamp(limits.get(0).asText(), file),
                NabCsv.parseTimestamp(limits.get(1).asText(), file)));
      }
      windows.put(entry.getKey(), list);
    }
    return windows;
  }

  private static List<NabProfile> readProfiles(Path file) {
    List<NabProfile> profiles = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : readJson(file).properties()) {
      JsonNode costs = entry.getValue().required("CostMatrix");
      profiles.add(
          new NabProfile(
              entry.getKey(),
              costs.required("tpWeight").asDouble(),
              costs.required("fpWeight").asDouble(),
              costs.required("fnWeight").asDouble()));
    }
    return profiles;
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
