package dev.vigil.rca.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a series is named for people, in English and in Chinese. */
class SeriesKeyTest {

  @Test
  void aServiceWideSeriesIsNamedInTheLanguageOfTheSentence() {
    SeriesKey key = new SeriesKey("catalog", SeriesKind.SELF_TIME, SeriesKey.ALL_OPERATIONS, "ms");

    assertThat(key.describe()).contains("all operations").contains("catalog");
    assertThat(key.describeZh()).contains("所有操作").contains("catalog").doesNotContain("operations");
  }

  @Test
  void anOperationKeepsItsOwnNameInBothLanguages() {
    SeriesKey key = new SeriesKey("catalog", SeriesKind.SELF_TIME, "GET /items", "ms");

    assertThat(key.describe()).contains("GET /items");
    assertThat(key.describeZh()).contains("GET /items");
  }
}
