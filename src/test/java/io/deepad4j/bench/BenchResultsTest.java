package io.deepad4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepad4j.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchResultsTest {

  @Test
  void writesAndReadsBackEveryField(@TempDir Path tmp) throws Exception {
    List<BenchResult> results = List.of(
        BenchResult.ok("6_cardio", "iforest", 1, 0.9312345678901234, 0.5, 0.25, 0.01, 1281, 1281),
        BenchResult.ok("odd,name \"x\"", "ocsvm", 2, 1.0, 0.0, 12.5, 3e-4, 400000, 10000),
        BenchResult.failed("14_glass", "vae", 3, 149, 149));
    Path file = tmp.resolve("results.csv");
    BenchResults.write(file, results);
    List<String> lines = Files.readAllLines(file);
    assertEquals(BenchResults.HEADER, lines.get(0));
    assertEquals("14_glass,vae,3,,,,,149,149,failed", lines.get(3));
    assertTrue(lines.get(2).startsWith("\"odd,name \"\"x\"\"\",ocsvm,2,"), lines.get(2));
    assertEquals(results.subList(0, 2), BenchResults.read(file).subList(0, 2));
    BenchResult failed = BenchResults.read(file).get(2);
    assertEquals(BenchResult.Status.FAILED, failed.status());
    assertTrue(Double.isNaN(failed.rocAuc()) && Double.isNaN(failed.fitTimeS()));
    assertEquals(List.of(), Files.list(tmp).filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
  }

  @Test
  void strictReadingNamesFileLineAndProblem(@TempDir Path tmp) throws Exception {
    String ok = "d,a,1,0.9,0.5,1.0,0.1,10,10,ok\n";
    bad(tmp, "dataset,detector,seed\n" + ok, "line 1: the header must be");
    bad(tmp, BenchResults.HEADER + "\n" + ok + "d,a,2,0.9,0.5,1.0,10,10,ok\n", "line 3: 9 fields");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,NaN,0.5,1.0,0.1,10,10,ok\n", "line 2, column 'roc_auc': 'NaN' is not a finite");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,1.2,0.5,1.0,0.1,10,10,ok\n", "line 2: roc_auc must be in [0, 1], got 1.2");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,0.9,,1.0,0.1,10,10,ok\n", "line 2, column 'average_precision': empty");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,0.9,0.5,1.0,0.1,10,10,done\n", "line 2, column 'status': 'done'");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,0.9,,,,10,10,failed\n", "a failed row leaves its metrics and times empty");
    bad(tmp, BenchResults.HEADER + "\nd,a,1.5,0.9,0.5,1.0,0.1,10,10,ok\n", "column 'seed': '1.5' is not a whole number");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,0.9,0.5,1.0,0.1,10,11,ok\n", "train_rows_used must be between 1 and");
    bad(tmp, BenchResults.HEADER + "\nd,a,1,0.9,0.5,-1.0,0.1,10,10,ok\n", "fit_time_s must be a number of seconds");
    bad(tmp, BenchResults.HEADER + "\n" + ok + "\n" + ok, "line 4: d / a / seed 1 is already on line 2");
    bad(tmp, BenchResults.HEADER + "\n", "has a header but no result rows");
    bad(tmp, "", "the file is empty");
    DataException missing = assertThrows(DataException.class, () -> BenchResults.read(tmp.resolve("none.csv")));
    assertTrue(missing.getMessage().contains("none.csv does not exist"), missing.getMessage());
  }

  private static void bad(Path tmp, String content, String expected) throws Exception {
    Path file = tmp.resolve("bad.csv");
    Files.writeString(file, content);
    DataException e = assertThrows(DataException.class, () -> BenchResults.read(file), expected);
    assertTrue(e.getMessage().startsWith(file.toString()) || e.getMessage().contains(file.toString()),
        e.getMessage());
    assertTrue(e.getMessage().contains(expected), "'" + expected + "' in: " + e.getMessage());
  }
}
