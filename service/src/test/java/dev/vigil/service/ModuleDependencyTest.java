package dev.vigil.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keeps the module arrows of ARCHITECTURE.md true: each module imports only those below it. */
class ModuleDependencyTest {
  private static final Map<String, List<String>> ALLOWED =
      Map.of(
          "telemetry", List.of(),
          "ingest", List.of("telemetry"),
          "features", List.of("telemetry"),
          "models", List.of("features", "telemetry"),
          "rca", List.of("features", "models", "telemetry"),
          "nlq", List.of("rca", "features", "models", "telemetry"),
          "trainingdata", List.of("telemetry", "features", "models"));

  /**
   * Imported by no module's main code: {@code service} (the top) and {@code testing} (test support,
   * for test scopes and the benchmarks harness only).
   */
  private static final List<String> NEVER_IMPORTED = List.of("service", "testing");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil");
  }

  static Stream<Arguments> modules() {
    return ALLOWED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0} imports only {1}")
  @MethodSource("modules")
  void moduleImportsOnlyWhatTheArchitectureAllows(String module, List<String> allowed) {
    String[] forbidden =
        Stream.concat(ALLOWED.keySet().stream(), NEVER_IMPORTED.stream())
            .filter(m -> !m.equals(module) && !allowed.contains(m))
            .map(m -> "dev.vigil." + m + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("dev.vigil." + module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .because("ARCHITECTURE.md allows " + module + " -> " + allowed + " only")
        .check(classes);
  }

  @Test
  void onlyIngestAndServiceTalkToKafka() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.vigil.telemetry..",
            "dev.vigil.features..",
            "dev.vigil.models..",
            "dev.vigil.rca..",
            "dev.vigil.nlq..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(classes);
  }

  @Test
  void onlyNlqTalksToLanguageModels() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.vigil.nlq..")
        .and()
        .resideInAPackage("dev.vigil..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.langchain4j..")
        .because("ARCHITECTURE.md: nlq is the only module with langchain4j")
        .check(classes);
  }

  @Test
  void everyModuleHasClassesToCheck() {
    for (String module : ALLOWED.keySet()) {
      if (Arrays.asList("trainingdata").contains(module)) {
        continue;
      }
      org.assertj.core.api.Assertions.assertThat(
              classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.vigil." + module)))
          .as("classes of module %s are on the test classpath", module)
          .isTrue();
    }
  }
}
