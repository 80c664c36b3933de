package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Kdd99ParserTest {

  private static final String GOOD_ROW =
      "0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,8,8,0.00,0.00,0.00,0.00,1.00,0.00,"
          + "0.00,9,9,1.00,0.00,0.11,0.00,0.00,0.00,0.00,0.00,normal.";

  @TempDir Path dir;

  @Test
  void parsesEveryRowOfTheTrainingFileLikeAPlainReader() throws IOException {
    Kdd99Table table = Kdd99Parser.read(Kdd99TestFiles.train());

    assertEquals(494_021, table.rows);
    Map<String, Integer> counts = new HashMap<>();
    for (int r = 0; r < table.rows; r++) {
      counts.merge(table.label(r), 1, Integer::sum);
    }
    assertEquals(97_278, counts.get("normal"));
    assertEquals(280_790, counts.get("smurf"));
    assertEquals(23, counts.size());
    assertEquals(3, table.categories(1).size());
    assertEquals(66, table.categories(2).size());
    assertEquals(11, table.categories(3).size());

    // every 97th line again, split into Strings and parsed with Float.parseFloat
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(Kdd99TestFiles.train())),
        StandardCharsets.US_ASCII))) {
      int r = 0;
      for (String line; (line = in.readLine()) != null; r++) {
        if (r % 97 != 0) {
          continue;
        }
        String[] f = line.split(",");
        for (int c = 0; c < Kdd99Table.COLUMNS; c++) {
          if (c >= 1 && c <= 3) {
            assertEquals(f[c], table.category(r, c), "line " + (r + 1) + " column " + c);
          } else {
            assertEquals(Float.parseFloat(f[c]), table.value(r, c),
                "line " + (r + 1) + " column " + c);
          }
        }
        assertEquals(f[41].substring(0, f[41].length() - 1), table.label(r));
      }
      assertEquals(494_021, r);
    }
  }

  @Test
  void cachesParsedFilesUntilTheyChange() throws IOException {
    Path file = gzip("a.gz", GOOD_ROW + "\n" + GOOD_ROW + "\n");

    Kdd99Table first = Kdd99Parser.read(file);
    assertSame(first, Kdd99Parser.read(file));

    Files.setLastModifiedTime(file, FileTime.fromMillis(
        Files.getLastModifiedTime(file).toMillis() + 5_000));
    Kdd99Table again = Kdd99Parser.read(file);
    assertNotSame(first, again);
    assertEquals(2, again.rows);
  }

  @Test
  void acceptsWindowsLineEndingsAndAMissingFinalNewline() throws IOException {
    Kdd99Table t = Kdd99Parser.parse(gzip("crlf.gz", GOOD_ROW + "\r\n" + GOOD_ROW));

    assertEquals(2, t.rows);
    assertEquals("normal", t.label(1));
    assertEquals(0.11f, t.value(1, 35));
    assertEquals(5450f, t.value(0, 5));
  }

  @Test
  void truncatedGzipNamesTheFileAndTheLineReached() throws IOException {
    byte[] whole = Files.readAllBytes(Kdd99TestFiles.test());
    Path cut = Files.write(dir.resolve("corrected.gz"), Arrays.copyOf(whole, whole.length / 2));

    DataException e = assertThrows(DataException.class, () -> Kdd99Parser.parse(cut));

    String m = e.getMessage();
    assertTrue(m.startsWith(cut + " is not a readable gzip file"), m);
    assertTrue(m.matches("(?s).*after line [1-9][0-9]{4,}.*"), m);
    assertTrue(m.contains("Delete it so that it is downloaded again"), m);
  }

  @Test
  void fileThatIsNotGzipIsAnError() throws IOException {
    Path plain = Files.writeString(dir.resolve("corrected.gz"), GOOD_ROW + "\n");

    DataException e = assertThrows(DataException.class, () -> Kdd99Parser.parse(plain));

    assertTrue(e.getMessage().contains(plain + " is not a readable gzip file"), e.getMessage());
  }

  @Test
  void rowWithAMissingFieldNamesItsLine() throws IOException {
    String shortRow = GOOD_ROW.replaceFirst("181,", "");
    Path file = gzip("short.gz", GOOD_ROW + "\n" + GOOD_ROW + "\n" + shortRow + "\n" + GOOD_ROW);

    DataException e = assertThrows(DataException.class, () -> Kdd99Parser.parse(file));

    assertEquals(file + ", line 3: expected 42 comma-separated fields (41 features and the label),"
        + " found 41. The file is damaged. Delete it so that it is downloaded again, or copy it"
        + " again from http://kdd.ics.uci.edu/databases/kddcup99/short.gz.", e.getMessage());
  }

  @Test
  void textWhereANumberBelongsNamesLineAndColumn() throws IOException {
    Path file = gzip("text.gz", GOOD_ROW + "\n" + GOOD_ROW.replace(",181,", ",18x1,") + "\n");

    DataException e = assertThrows(DataException.class, () -> Kdd99Parser.parse(file));

    assertTrue(e.getMessage().startsWith(
        file + ", line 2, column 5 (src_bytes) is '18x1', not a number."), e.getMessage());
  }

  @Test
  void emptyLineAndEmptyFileAreErrors() throws IOException {
    Path blank = gzip("blank.gz", GOOD_ROW + "\n\n" + GOOD_ROW + "\n");
    Path empty = gzip("empty.gz", "");

    DataException e1 = assertThrows(DataException.class, () -> Kdd99Parser.parse(blank));
    DataException e2 = assertThrows(DataException.class, () -> Kdd99Parser.parse(empty));

    assertTrue(e1.getMessage().startsWith(blank + ", line 2:"), e1.getMessage());
    assertTrue(e2.getMessage().startsWith(empty + " holds no rows"), e2.getMessage());
  }

  private Path gzip(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }
}
