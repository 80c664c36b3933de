package io.deepad4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowLimitsTest {
  @Test
  void keysOutsideMlflowsAlphabetAreReplacedAndCut() {
    assertEquals("model.layers_0_", MlflowLimits.sanitizeKey("model.layers[0]"));
    assertEquals("a/b-c d:e_f.g", MlflowLimits.sanitizeKey("a/b-c d:e_f.g"));
    assertEquals("dataset.features__x__", MlflowLimits.sanitizeKey("dataset.features{'x'}"));
    assertEquals(250, MlflowLimits.sanitizeKey("k".repeat(300)).length());
  }

  @Test
  void paramValuesAreCutTo6000AndCollidingKeysKeptApart() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("a[0]", "x".repeat(6001));
    params.put("a_0_", "second");
    params.put("a(0)", null);
    Map<String, String> clean = MlflowLimits.sanitizeParams(params);
    assertEquals(6000, clean.get("a_0_").length());
    assertEquals("second", clean.get("a_0__2"));
    assertEquals("null", clean.get("a_0__3"));
    assertEquals(3, clean.size());
  }

  @Test
  void tagValuesAreCutTo8000() {
    assertEquals(8000, MlflowLimits.tagValue("y".repeat(9000)).length());
    assertEquals("", MlflowLimits.tagValue(null));
  }
}
