package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.deepad4j.TestData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADBench files through the shared verified download, from a real HTTP server on 127.0.0.1 serving a real file. */
class AdbenchFilesTest {

  @TempDir Path dataDir;
  private final Path shared = TestData.sharedData("adbench", "14_glass.npz");
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean tamper;

  @BeforeEach
  void startServer() throws IOException {
    byte[] glass = Files.readAllBytes(shared.resolve("14_glass.npz"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/Classical/", exchange -> {
      requests.incrementAndGet();
      byte[] body = glass.clone();
      if (tamper) {
        body[body.length / 2] ^= 0x01;
      }
      boolean known = exchange.getRequestURI().getPath().endsWith("/14_glass.npz");
      exchange.sendResponseHeaders(known ? 200 : 404, known ? body.length : -1);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(known ? body : new byte[0]);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/Classical/");
  }

  @Test
  void theListHolds43DataSetsAndMatchesTheSharedCopies() throws IOException {
    assertEquals(43, AdbenchFiles.SUBSETS.size());
    assertTrue(AdbenchFiles.SUBSETS.containsAll(List.of("1_ALOI", "6_cardio", "14_glass", "47_yeast")));
    int checked = 0;
    try (Stream<Path> files = Files.list(shared)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".npz")).toList()) {
        String subset = f.getFileName().toString().replace(".npz", "");
        assertTrue(AdbenchFiles.SUBSETS.contains(subset), subset);
        AdbenchFiles.ensure(shared, subset, baseUrl(), true); // verifies, downloads nothing
        checked++;
      }
    }
    assertTrue(checked >= 2, "shared copies checked: " + checked);
    assertEquals(0, requests.get());
  }

  @Test
  void aMissingFileIsDownloadedVerifiedAndThenReadWithoutNetwork() throws IOException {
    Path file = AdbenchFiles.ensure(dataDir, "14_glass", baseUrl(), true);
    assertEquals(dataDir.resolve("14_glass.npz"), file);
    assertEquals(DataFiles.sha256(shared.resolve("14_glass.npz")), DataFiles.sha256(file));
    AdbenchFiles.ensure(dataDir, "14_glass", baseUrl(), true);
    assertEquals(1, requests.get(), "a present, verified file is not fetched again");
    assertEquals(214, NpzDataset.read(file).x().length);
    try (Stream<Path> s = Files.list(dataDir)) {
      assertEquals(List.of("14_glass.npz"), s.map(p -> p.getFileName().toString()).toList(), "no partial file left");
    }
  }

  @Test
  void aTamperedDownloadIsDiscardedAndATamperedCopyNamed() throws IOException {
    tamper = true;
    DataException e = assertThrows(DataException.class, () -> AdbenchFiles.ensure(dataDir, "14_glass", baseUrl(), true));
    assertTrue(e.getMessage().contains("Checksum mismatch for 14_glass.npz downloaded from " + baseUrl() + "14_glass.npz"),
        e.getMessage());
    try (Stream<Path> s = Files.list(dataDir)) {
      assertEquals(0, s.count(), "the download was discarded");
    }
    byte[] bytes = Files.readAllBytes(shared.resolve("14_glass.npz"));
    bytes[100] ^= 0x01;
    Files.write(dataDir.resolve("14_glass.npz"), bytes);
    e = assertThrows(DataException.class, () -> AdbenchFiles.ensure(dataDir, "14_glass", baseUrl(), true));
    assertTrue(e.getMessage().contains("not the published ADBench file"), e.getMessage());
    assertTrue(e.getMessage().contains(AdbenchFiles.DEFAULT_BASE_URL + "14_glass.npz"), e.getMessage());
    assertTrue(e.getMessage().contains("dataset.verify_checksums: false"), e.getMessage());
    AdbenchFiles.ensure(dataDir, "14_glass", baseUrl(), false); // the opt-out
  }

  @Test
  void withoutTheServerTheErrorSaysWhereToPutTheFile() {
    DataException e = assertThrows(DataException.class,
        () -> AdbenchFiles.ensure(dataDir, "6_cardio", URI.create("http://127.0.0.1:9/"), true));
    assertTrue(e.getMessage().contains("Could not download http://127.0.0.1:9/6_cardio.npz"), e.getMessage());
    assertTrue(e.getMessage().contains(dataDir.resolve("6_cardio.npz") + "  (from " + AdbenchFiles.DEFAULT_BASE_URL
        + "6_cardio.npz)"), e.getMessage());
  }
}
