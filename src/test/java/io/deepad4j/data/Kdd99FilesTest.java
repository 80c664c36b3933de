package io.deepad4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a real HTTP server on 127.0.0.1 that serves copies of the real files. */
class Kdd99FilesTest {

  /** How the test server answers: the real file, a short one, a changed one, or an error. */
  private enum Mode { GOOD, SHORT_BODY, TAMPERED, NOT_FOUND }

  @TempDir Path dataDir;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, byte[]> files = new HashMap<>();
  private volatile Mode mode = Mode.GOOD;

  @BeforeEach
  void startServer() throws IOException {
    files.put(Kdd99Files.TRAIN_FILE, Files.readAllBytes(Kdd99TestFiles.train()));
    files.put(Kdd99Files.TEST_FILE, Files.readAllBytes(Kdd99TestFiles.test()));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/kddcup99/", this::serve);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    byte[] body = files.get(path.substring(path.lastIndexOf('/') + 1));
    if (body == null || mode == Mode.NOT_FOUND) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    switch (mode) {
      case SHORT_BODY -> body = Arrays.copyOf(body, body.length / 2);
      case TAMPERED -> {
        body = body.clone();
        body[body.length / 2] ^= 0x01;
      }
      default -> { }
    }
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kddcup99/");
  }

  private List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void downloadsMissingFilesAndVerifiesThem() throws IOException {
    Kdd99Files.ensure(dataDir, baseUrl(), true);

    assertEquals(2, requests.get());
    assertEquals(List.of(Kdd99Files.TEST_FILE, Kdd99Files.TRAIN_FILE), filesIn(dataDir));
    assertEquals(Kdd99Files.TRAIN_SHA256,
        DataFiles.sha256(dataDir.resolve(Kdd99Files.TRAIN_FILE)));
    assertEquals(Kdd99Files.TEST_SHA256, DataFiles.sha256(dataDir.resolve(Kdd99Files.TEST_FILE)));
  }

  @Test
  void downloadsOnlyTheMissingFile() throws IOException {
    Files.copy(Kdd99TestFiles.train(), dataDir.resolve(Kdd99Files.TRAIN_FILE));

    Kdd99Files.ensure(dataDir, URI.create(baseUrl().toString().replaceAll("/$", "")), true);

    assertEquals(1, requests.get());
    assertEquals(List.of(Kdd99Files.TEST_FILE, Kdd99Files.TRAIN_FILE), filesIn(dataDir));
  }

  @Test
  void filesAlreadyPresentNeedNoNetwork() throws IOException {
    Kdd99TestFiles.copyTo(dataDir);

    Kdd99Files.ensure(dataDir, baseUrl(), true);
    Kdd99Files.ensure(dataDir, URI.create("http://127.0.0.1:" + closedPort() + "/"), true);

    assertEquals(0, requests.get());
  }

  @Test
  void connectionDroppedMidwayLeavesNoFile() throws Exception {
    try (HalfSendingServer half = new HalfSendingServer(files.get(Kdd99Files.TRAIN_FILE), false)) {
      DataException e =
          assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, half.url(), true));

      assertTrue(e.getMessage().contains("Could not download " + half.url()
          + Kdd99Files.TRAIN_FILE), e.getMessage());
      assertEquals(List.of(), filesIn(dataDir), "no partial or complete-looking file remains");
    }
  }

  @Test
  void stalledTransferIsAbandoned() throws Exception {
    Duration before = DataFiles.stallTimeout;
    DataFiles.stallTimeout = Duration.ofSeconds(2);
    try (HalfSendingServer half = new HalfSendingServer(files.get(Kdd99Files.TRAIN_FILE), true)) {
      long start = System.nanoTime();
      DataException e =
          assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, half.url(), true));

      assertTrue(e.getMessage().contains("no data for 2 s"), e.getMessage());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos());
      assertEquals(List.of(), filesIn(dataDir));
    } finally {
      DataFiles.stallTimeout = before;
    }
  }

  @Test
  void shortFileIsRejectedByItsChecksum() throws IOException {
    mode = Mode.SHORT_BODY;

    DataException e =
        assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, baseUrl(), true));

    assertTrue(e.getMessage().contains("Checksum mismatch for " + Kdd99Files.TRAIN_FILE),
        e.getMessage());
    assertEquals(List.of(), filesIn(dataDir));
  }

  @Test
  void tamperedDownloadNamesBothHashesAndTheOptOut() throws IOException {
    mode = Mode.TAMPERED;
    byte[] tampered = files.get(Kdd99Files.TRAIN_FILE).clone();
    tampered[tampered.length / 2] ^= 0x01;
    Path copy = Files.write(dataDir.resolve("tampered.bin"), tampered);
    String actual = DataFiles.sha256(copy);
    Files.delete(copy);

    DataException e =
        assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, baseUrl(), true));

    String m = e.getMessage();
    assertTrue(m.contains(Kdd99Files.TRAIN_FILE), m);
    assertTrue(m.contains("expected SHA-256 " + Kdd99Files.TRAIN_SHA256), m);
    assertTrue(m.contains("actual SHA-256   " + actual), m);
    assertTrue(m.contains("dataset.verify_checksums: false"), m);
    assertEquals(List.of(), filesIn(dataDir));
  }

  @Test
  void tamperedDownloadIsKeptWhenTheUserTurnedVerificationOff() throws IOException {
    mode = Mode.TAMPERED;

    Kdd99Files.ensure(dataDir, baseUrl(), false);

    assertEquals(List.of(Kdd99Files.TEST_FILE, Kdd99Files.TRAIN_FILE), filesIn(dataDir));
    assertFalse(Kdd99Files.TRAIN_SHA256.equals(
        DataFiles.sha256(dataDir.resolve(Kdd99Files.TRAIN_FILE))));
  }

  @Test
  void tamperedFileOnDiskIsReportedAndLeftAlone() throws IOException {
    Kdd99TestFiles.copyTo(dataDir);
    Path test = dataDir.resolve(Kdd99Files.TEST_FILE);
    byte[] bytes = Files.readAllBytes(test);
    bytes[100] ^= 0x01;
    Files.write(test, bytes);

    DataException e =
        assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, baseUrl(), true));

    String m = e.getMessage();
    assertTrue(m.contains("Checksum mismatch for " + test.toAbsolutePath()), m);
    assertTrue(m.contains(Kdd99Files.TEST_SHA256), m);
    assertTrue(m.contains(DataFiles.sha256(test)), m);
    assertTrue(m.contains("dataset.verify_checksums: false"), m);
    assertTrue(Files.exists(test));
    assertEquals(0, requests.get());
  }

  @Test
  void serverNotListeningSaysWhereToPutTheFiles() throws IOException {
    URI url = URI.create("http://127.0.0.1:" + closedPort() + "/kddcup99/");

    DataException e =
        assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, url, true));

    String m = e.getMessage();
    assertTrue(m.contains("Could not download " + url + Kdd99Files.TRAIN_FILE), m);
    assertTrue(m.contains("cannot connect"), m);
    Path dir = dataDir.toAbsolutePath().normalize();
    assertTrue(m.contains(dir.resolve(Kdd99Files.TRAIN_FILE).toString()), m);
    assertTrue(m.contains(dir.resolve(Kdd99Files.TEST_FILE).toString()), m);
    assertTrue(m.contains(Kdd99Files.DEFAULT_BASE_URL + Kdd99Files.TEST_FILE), m);
    assertEquals(List.of(), filesIn(dataDir));
  }

  @Test
  void httpErrorNamesTheStatus() throws IOException {
    mode = Mode.NOT_FOUND;

    DataException e =
        assertThrows(DataException.class, () -> Kdd99Files.ensure(dataDir, baseUrl(), true));

    assertTrue(e.getMessage().contains("HTTP status 404"), e.getMessage());
    assertEquals(List.of(), filesIn(dataDir));
  }

  /** A port nothing listens on: bound once to get a free number, then released. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * A bare HTTP/1.1 server on a raw socket, because HttpServer will not drop a connection in the
   * middle of a body: it announces the whole file, sends half of it, then closes the socket or,
   * with {@code hold}, keeps it open and silent until closed.
   */
  private static final class HalfSendingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);

    HalfSendingServer(byte[] body, boolean hold) throws IOException {
      socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        try (Socket client = socket.accept()) {
          BufferedReader in = new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
          for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            // skip the request headers
          }
          OutputStream out = client.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          out.write(body, 0, body.length / 2);
          out.flush();
          if (hold) {
            done.await();
          }
        } catch (IOException | InterruptedException e) {
          // the test is over or the client went away
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/kddcup99/");
    }

    @Override
    public void close() throws Exception {
      done.countDown();
      socket.close();
      thread.join(5_000);
    }
  }
}
