package dev.vigil.models.registry;

import dev.vigil.models.IncompatibleModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link ModelRegistry} in a directory: {@code <dir>/<url-encoded service>/v<N>.json} holds version
 * N of the service's model as {@link ModelRecords} JSON. The highest readable version is in use; a
 * file that cannot be read is reported in {@link #problems()} and skipped. A promotion writes a
 * temporary file and renames it, so readers never see half a model.
 */
final class DirectoryModelRegistry implements ModelRegistry {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.json");

  private final Path dir;
  private final List<String> problems = new ArrayList<>();

  DirectoryModelRegistry(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized List<RegisteredModel> current() {
    problems.clear();
    List<RegisteredModel> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> services = Files.list(dir)) {
      for (Path s : services.filter(Files::isDirectory).sorted().toList()) {
        String service = URLDecoder.decode(s.getFileName().toString(), StandardCharsets.UTF_8);
        newest(service, s).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the model registry " + dir, e);
    }
    return out;
  }

  @Override
  public synchronized Optional<RegisteredModel> current(String service) {
    Path s = serviceDir(service);
    return Files.isDirectory(s) ? newest(service, s) : Optional.empty();
  }

  private Optional<RegisteredModel> newest(String service, Path s) {
    List<Path> files = versions(s);
    for (int i = files.size() - 1; i >= 0; i--) {
      Path f = files.get(i);
      try {
        RegisteredModel m = ModelRecords.fromBytes(Files.readAllBytes(f), f.toString());
        if (!m.service().equals(service)) {
          throw new IncompatibleModelException(
              f + " holds a model of '" + m.service() + "', not of '" + service + "'");
        }
        return Optional.of(m);
      } catch (IncompatibleModelException e) {
        problems.add(e.getMessage());
      } catch (IOException e) {
        problems.add("cannot read " + f + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static List<Path> versions(Path s) {
    try (Stream<Path> files = Files.list(s)) {
      return files
          .filter(f -> VERSION.matcher(f.getFileName().toString()).matches())
          .sorted((a, b) -> Integer.compare(number(a), number(b)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + s, e);
    }
  }

  private static int number(Path f) {
    Matcher m = VERSION.matcher(f.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  @Override
  public synchronized RegisteredModel promote(RegisteredModel model) {
    Path s = serviceDir(model.service());
    try {
      Files.createDirectories(s);
      List<Path> files = versions(s);
      int next = files.isEmpty() ? 1 : number(files.get(files.size() - 1)) + 1;
      RegisteredModel stored = model.withVersion(next);
      Path tmp = Files.createTempFile(s, ".promote-", ".tmp");
      Files.write(tmp, ModelRecords.toBytes(stored));
      Files.move(tmp, s.resolve("v" + next + ".json"), StandardCopyOption.ATOMIC_MOVE);
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the model registry " + dir, e);
    }
  }

  @Override
  public synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  private Path serviceDir(String service) {
    return dir.resolve(URLEncoder.encode(service, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "directory " + dir;
  }
}
