package io.deepad4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configuration record declared once: its keys, defaults and bounds drive the schema and {@link ConfigRecords#of}. */
class ConfigRecordsTest {
  enum Shape { ROUND, SQUARE_ISH }

  record Example(
      @Param(value = "[4, 2]", min = 1, max = 10, doc = "sizes") List<Integer> hiddenSizes,
      @Param(value = "0.5", min = 0, max = 1, doc = "a rate") double someRate,
      @Param(value = "round", doc = "a shape") Shape shape,
      @Param(value = "true", doc = "a switch") boolean enabled) {}

  @Test
  void keysAreSnakeCaseWithTheirDefaultsAndBounds() {
    List<Field> fields = ConfigRecords.fields(Example.class);
    assertEquals(List.of("hidden_sizes", "some_rate", "shape", "enabled"), fields.stream().map(Field::key).toList());
    assertEquals(List.of("round", "square_ish"), fields.get(2).choices());
    assertEquals(1.0, fields.get(1).max());
  }

  @Test
  void ofFillsEveryKeyNotGivenWithItsDefault() {
    Example e = ConfigRecords.of(Example.class, Map.of("some_rate", 0.25, "shape", Shape.SQUARE_ISH));
    assertEquals(new Example(List.of(4, 2), 0.25, Shape.SQUARE_ISH, true), e);
    assertEquals(e, ConfigRecords.of(Example.class, Map.of("some_rate", 0.25, "shape", "square_ish")),
        "an enum by its constant or by its spec name");
  }

  @Test
  void ofChecksKeysAndValuesAsASpecIsChecked() {
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> ConfigRecords.of(Example.class, Map.of("some_rat", 0.25))).getMessage();
    assertTrue(unknown.contains("'some_rat'") && unknown.contains("some_rate"), unknown);
    String range = assertThrows(IllegalArgumentException.class,
        () -> ConfigRecords.of(Example.class, Map.of("some_rate", 2.0))).getMessage();
    assertTrue(range.contains("out of range [0, 1]"), range);
    assertThrows(IllegalArgumentException.class, () -> ConfigRecords.of(Example.class, Map.of("hidden_sizes", List.of(0))));
  }
}
