package io.deepad4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassBreakdownTest {
  @Test
  void countsFlaggedRowsAndErrorsPerClassMostErrorsFirst() {
    List<String> classes = List.of("normal", "smurf", "back", "back", "normal", "back", "smurf", "teardrop");
    int[] labels = {0, 1, 1, 1, 0, 1, 1, 1};
    double[] scores = {0.9, 0.8, 0.1, 0.2, 0.3, 0.7, 0.6, 0.5};
    List<ClassBreakdown.Row> rows = ClassBreakdown.of(classes, labels, scores, 0.55);
    // back: 1 of 3 flagged -> 2 missed; normal: 1 of 2 flagged -> 1 error; teardrop: 0 of 1 -> 1 missed; smurf: none
    assertEquals(List.of("back", "normal", "teardrop", "smurf"), rows.stream().map(ClassBreakdown.Row::name).toList());
    ClassBreakdown.Row back = rows.get(0);
    assertEquals(3, back.rows());
    assertEquals(1, back.flagged());
    assertEquals(2, back.errors());
    assertEquals((0.1 + 0.2 + 0.7) / 3, back.meanScore(), 1e-12);
    assertEquals(1, rows.get(1).errors());
    assertEquals(0, rows.get(3).errors());
    assertEquals("class,label,rows,flagged,errors,mean_score\nback,1,3,1,2,0.333333\n",
        ClassBreakdown.toCsv(rows.subList(0, 1)));
    assertEquals("back 2/3 missed, normal 1/2 flagged", ClassBreakdown.summary(rows, 2));
    assertEquals("back 2/3 missed, normal 1/2 flagged, teardrop 1/1 missed", ClassBreakdown.summary(rows, 9));
  }

  @Test
  void aClassWithACommaIsQuotedAndLengthsMustAgree() {
    List<ClassBreakdown.Row> rows = ClassBreakdown.of(List.of("a,b"), new int[] {1}, new double[] {2}, 1);
    assertEquals("class,label,rows,flagged,errors,mean_score\n\"a,b\",1,1,1,0,2.00000\n", ClassBreakdown.toCsv(rows));
    assertThrows(IllegalArgumentException.class, () -> ClassBreakdown.of(List.of("a"), new int[] {1, 0}, new double[] {1, 2}, 0));
  }
}
