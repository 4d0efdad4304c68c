package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeMapTest {
  private static final String[] KEYS = {"http.route", "peer.service", "retries", "ratio", "tags"};
  private static final Object[] VALUES = {"/cart", "redis", 3L, 0.5, List.of("a", "b")};

  @Test
  void isEqualToAndHashesLikeAnyMapWithTheSameEntries() {
    Map<String, Object> map = AttributeMap.copyOf(KEYS, VALUES, KEYS.length);
    Map<String, Object> reference = new LinkedHashMap<>();
    for (int i = 0; i < KEYS.length; i++) {
      reference.put(KEYS[i], VALUES[i]);
    }
    assertThat(map).isEqualTo(reference).isEqualTo(Map.copyOf(reference));
    assertThat(Map.copyOf(reference)).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(reference.hashCode());
    assertThat(map).hasToString(reference.toString());
    assertThat(map.keySet()).containsExactly(KEYS);
    assertThat(map.get(new String("retries"))).isEqualTo(3L); // found by equality, not identity
    assertThat(map.get("absent")).isNull();
    assertThat(map.get(null)).isNull();
    assertThat(map.containsKey("ratio")).isTrue();
    assertThat(map.containsKey("Ratio")).isFalse();
  }

  @Test
  void copiesItsInputAndCannotBeChanged() {
    String[] keys = KEYS.clone();
    Object[] values = VALUES.clone();
    Map<String, Object> map = AttributeMap.copyOf(keys, values, 2);
    keys[0] = "changed";
    values[1] = "changed";
    assertThat(map)
        .containsExactly(Map.entry("http.route", "/cart"), Map.entry("peer.service", "redis"));
    assertThatThrownBy(() -> map.put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove("http.route"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThat(AttributeMap.copyOf(keys, values, 0)).isEmpty();
  }

  @Test
  void refusesNullsAndRepeatedKeys() {
    assertThatThrownBy(() -> AttributeMap.copyOf(new String[] {"a", null}, VALUES, 2))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AttributeMap.copyOf(KEYS, new Object[] {"x", null}, 2))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AttributeMap.copyOf(new String[] {"a", "a"}, VALUES, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate attribute key a");
  }

  @Test
  void aRecordKeepsAnAttributeMapAndCopiesAnyOtherMap() {
    Map<String, Object> attributes = AttributeMap.copyOf(KEYS, VALUES, KEYS.length);
    assertThat(AttributeMap.immutable(attributes)).isSameAs(attributes);
    Map<String, Object> mutable = new LinkedHashMap<>(attributes);
    Map<String, Object> copy = AttributeMap.immutable(mutable);
    mutable.put("later", 1L);
    assertThat(copy).isEqualTo(attributes);
  }
}
