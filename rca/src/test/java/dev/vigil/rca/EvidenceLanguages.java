package dev.vigil.rca;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that evidence says the same thing in both of its languages. */
public final class EvidenceLanguages {
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
  private static final Pattern CJK = Pattern.compile("\\p{IsHan}");

  private EvidenceLanguages() {}

  /**
   * Every sentence has a Chinese version, written in Chinese, with exactly the numbers (values,
   * units' figures, trace ids' digits, operation names) of the English one.
   */
  public static void assertSameFactsInBothLanguages(List<Evidence> evidence) {
    assertThat(evidence).isNotEmpty();
    for (Evidence e : evidence) {
      assertThat(e.textZh()).as(e.text()).isNotBlank();
      assertThat(CJK.matcher(e.textZh()).find()).as(e.textZh()).isTrue();
      assertThat(numbers(e.textZh()))
          .as(e.textZh() + " / " + e.text())
          .isEqualTo(numbers(e.text()));
      assertThat(e.text(true)).isEqualTo(e.textZh());
      assertThat(e.text(false)).isEqualTo(e.text());
    }
  }

  private static List<String> numbers(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = NUMBER.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    out.sort(null);
    return out;
  }
}
