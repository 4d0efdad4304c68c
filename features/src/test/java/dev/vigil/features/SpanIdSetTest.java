package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpanIdSetTest {

  @Test
  void behavesLikeAnInsertionOrderedSetOfStringsForAnyIds() {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      SpanIdSet set = new SpanIdSet(4);
      LinkedHashSet<String> reference = new LinkedHashSet<>();
      List<String> pool = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        pool.add(randomId(random));
      }
      for (int i = 0; i < 200; i++) {
        String id = pool.get(random.nextInt(pool.size()));
        assertThat(set.add(id)).as(id).isEqualTo(reference.add(id));
        assertThat(set.size()).isEqualTo(reference.size());
      }
      List<String> order = new ArrayList<>(reference);
      for (String id : pool) {
        assertThat(set.indexOf(id)).as(id).isEqualTo(order.indexOf(id));
        assertThat(set.contains(id)).isEqualTo(reference.contains(id));
      }
      SpanIdSet merged = new SpanIdSet(4);
      merged.add(pool.get(0));
      merged.addAll(set);
      LinkedHashSet<String> mergedReference = new LinkedHashSet<>(List.of(pool.get(0)));
      mergedReference.addAll(reference);
      assertThat(merged.size()).isEqualTo(mergedReference.size());
      for (String id : mergedReference) {
        assertThat(merged.contains(id)).isTrue();
      }
    }
  }

  @Test
  void aNonCanonicalIdNeverMatchesACanonicalOneWithTheSameKey() {
    SpanIdSet set = new SpanIdSet(4);
    String odd = "Not-Hex";
    long key = set.key(odd);
    assertThat(set.lastWasCanonical()).isFalse();
    String canonical = String.format("%016x", key); // spells the odd id's key
    assertThat(set.key(canonical)).isEqualTo(key);
    assertThat(set.lastWasCanonical()).isTrue();
    assertThat(set.add(odd)).isTrue();
    assertThat(set.contains(canonical)).isFalse();
    assertThat(set.add(canonical)).isTrue();
    assertThat(set.indexOf(odd)).isZero();
    assertThat(set.indexOf(canonical)).isEqualTo(1);
    assertThat(set.contains("NOT-HEX")).isFalse();
  }

  private static String randomId(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "id-" + random.nextInt(30); // not canonical
      case 1 -> HexFormat.of().withUpperCase().toHexDigits(random.nextLong()); // not lowercase
      default -> HexFormat.of().toHexDigits(random.nextLong());
    };
  }
}
