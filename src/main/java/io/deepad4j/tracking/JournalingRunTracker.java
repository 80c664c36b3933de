package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunTracker}: journals each call in {@code <runDir>/tracking/journal.jsonl}, then sends it
 * to the MLflow server when there is one. With no server it is the local-only tracker: the journal
 * alone, which {@link Sync} can upload later when given a tracking URI.
 */
final class JournalingRunTracker implements RunTracker {
  private static final Logger LOG = LoggerFactory.getLogger(JournalingRunTracker.class);
  /** How long end() from another thread waits for a call in flight (bounded by Retry's limits). */
  private static final long END_WAIT_SECONDS = 40;
  /** The start entry's flag of a deliberately local run. */
  static final String LOCAL_ONLY = "local_only";

  private final Path runDir;
  private final MlflowServer server;
  private final EntrySender sender;
  private final RemoteRun remote = new RemoteRun();

  /** Guards the journal and the lifecycle flags: an entry is never appended after the end entry. */
  private final Object stateLock = new Object();
  /** One call on the wire at a time, in journal order. */
  private final ReentrantLock sendLock = new ReentrantLock();
  private Journal journal;
  private boolean started;
  private boolean ended;
  private volatile boolean closed;
  private volatile boolean offline;
  /**
   * Per-epoch metrics are journaled at once but sent from this thread, so training never waits
   * on the network; every other call first waits for these sends, which keeps the server's order.
   */
  private final java.util.concurrent.ExecutorService background;
  private java.util.concurrent.CompletableFuture<Void> pending = java.util.concurrent.CompletableFuture.completedFuture(null);

  /** The last final metrics and the test data set: linked to the logged model (guarded by stateLock). */
  private ObjectNode finalMetrics;
  private DatasetInput testInput;

  /** True for a run with tracking.uri: none, which {@link Sync} never uploads. */
  private final boolean localOnly;

  /**
   * @param server the MLflow server, or null for a local-only tracker
   * @param localOnly a deliberately local run (tracking.uri: none): journaled as such
   */
  JournalingRunTracker(Path runDir, MlflowServer server, boolean localOnly) {
    this.runDir = runDir;
    this.server = server;
    this.localOnly = localOnly;
    this.sender = server == null ? null : new EntrySender(server, runDir);
    this.background = server == null ? null : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mlflow-epoch-sender");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void start(String experimentName, String runName, Map<String, String> params, Map<String, String> tags) {
    requireText(experimentName, "experimentName");
    requireText(runName, "runName");
    params = params == null ? Map.of() : params;
    tags = tags == null ? Map.of() : tags;
    ObjectNode start = Journal.JSON.createObjectNode();
    start.put("uri", server == null ? null : server.uri());
    if (localOnly) {
      start.put(LOCAL_ONLY, true);
    }
    start.put("experiment", experimentName);
    start.put("run_name", runName);
    start.put("run_key", UUID.randomUUID().toString());
    start.put("user", tags.getOrDefault("mlflow.user", System.getProperty("user.name", "")));
    start.put("start_time", System.currentTimeMillis());
    // lets Sync tell a run still in progress from one whose process died without end()
    RunOwner.current().writeTo(start);
    ObjectNode tagNode = start.putObject("tags");
    tags.forEach((k, v) -> tagNode.put(MlflowLimits.sanitizeKey(k), MlflowLimits.tagValue(v)));
    ObjectNode paramNode = Journal.JSON.createObjectNode();
    Map<String, String> cleanParams = MlflowLimits.sanitizeParams(params);
    cleanParams.forEach(paramNode::put);

    List<Journal.JournalEntry> entries = new ArrayList<>();
    synchronized (stateLock) {
      if (started) {
        throw new IllegalStateException("start() was already called for the run in " + runDir);
      }
      journal = Journal.open(runDir);
      started = true;
      entries.add(journal.append(EntrySender.START, start));
      if (!cleanParams.isEmpty()) {
        remote.params.putAll(cleanParams);
        ObjectNode data = Journal.JSON.createObjectNode();
        data.set("params", paramNode);
        entries.add(journal.append(EntrySender.PARAMS, data));
      }
    }
    sendAll(entries);
  }

  @Override
  public void logEpoch(int epoch, Map<String, Double> metrics) {
    logMetricsAt(epoch, metrics, true);
  }

  @Override
  public void logMetrics(Map<String, Double> metrics) {
    ObjectNode data = logMetricsAt(0, metrics, false);
    synchronized (stateLock) {
      finalMetrics = data;
    }
  }

  @Override
  public void logSystemMetrics(int step, Map<String, Double> metrics) {
    logMetricsAt(step, metrics, true);
  }

  @Override
  public void logInputs(List<DatasetInput> inputs) {
    if (inputs.isEmpty()) {
      return;
    }
    ObjectNode data = Journal.JSON.createObjectNode();
    var datasets = data.putArray("datasets");
    for (DatasetInput input : inputs) {
      ObjectNode d = datasets.addObject();
      d.put("name", input.name());
      d.put("digest", input.digest());
      d.put("source_type", input.sourceType());
      d.put("source", input.source());
      if (input.schema() != null) {
        d.put("schema", input.schema());
      }
      if (input.profile() != null) {
        d.put("profile", input.profile());
      }
      d.put("context", input.context());
    }
    synchronized (stateLock) {
      inputs.stream().filter(i -> i.context().equals("test")).findFirst().ifPresent(i -> testInput = i);
    }
    record(EntrySender.INPUTS, data);
  }

  /** Journals (and sends, or queues) the metrics; returns the journaled data, null when nothing was. */
  private ObjectNode logMetricsAt(long step, Map<String, Double> metrics, boolean inBackground) {
    if (metrics.isEmpty()) {
      return null;
    }
    ObjectNode data = Journal.JSON.createObjectNode();
    data.put("step", step);
    data.put("timestamp", System.currentTimeMillis());
    ObjectNode values = data.putObject("metrics");
    metrics.forEach((key, value) -> {
      if (value == null) {
        throw new IllegalArgumentException("metric '" + key + "' has no value (null)");
      }
      values.put(key, value);
    });
    if (!inBackground || background == null) {
      record(EntrySender.METRICS, data);
      return data;
    }
    Journal.JournalEntry entry;
    synchronized (stateLock) {
      if (!isOpenForEntries()) {
        return null;
      }
      entry = journal.append(EntrySender.METRICS, data);
      pending = pending.thenRunAsync(() -> {
        try {
          send(entry, Long.MAX_VALUE);
        } catch (RuntimeException e) {
          LOG.warn("epoch metrics not sent ({}); they stay in {} for `runner sync`", e.getMessage(), Journal.file(runDir));
        }
      }, background);
    }
    return data;
  }

  /** Waits (at most {@code seconds}) for the epoch metrics still being sent in the background. */
  private void drainBackground(long seconds) {
    java.util.concurrent.CompletableFuture<Void> p;
    synchronized (stateLock) {
      p = pending;
    }
    try {
      p.get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("epoch metrics still in flight after {} s; they stay in {} for `runner sync`", seconds, Journal.file(runDir));
    }
  }

  @Override
  public void setTag(String key, String value) {
    requireText(key, "tag key");
    ObjectNode data = Journal.JSON.createObjectNode();
    data.put("key", MlflowLimits.sanitizeKey(key));
    data.put("value", MlflowLimits.tagValue(value));
    record(EntrySender.TAG, data);
  }

  @Override
  public void logArtifactsAndModel(Path dir, String modelName, List<Path> skip) {
    requireText(modelName, "model name");
    Path root = dir.toAbsolutePath().normalize();
    List<Path> skipped = new ArrayList<>();
    skipped.add(runDir.toAbsolutePath().normalize().resolve(Journal.DIR));
    skip.forEach(p -> skipped.add(p.toAbsolutePath().normalize()));
    String rootInJournal = relativeToRunDir(root);
    ObjectNode artifacts = Journal.JSON.createObjectNode();
    artifacts.put("root", rootInJournal);
    artifacts.set("files", fileList(root, root, skipped));

    Path modelDir = root.resolve("model");
    ObjectNode model = null;
    TrackingException badModel = null;
    if (Files.isRegularFile(modelDir.resolve(MlmodelFile.FILE_NAME))) {
      try {
        model = Journal.JSON.createObjectNode();
        model.put("root", rootInJournal);
        model.put("dir", "model");
        model.put("artifact_path", "model");
        model.put("name", MlflowLimits.loggedModelName(modelName));
        model.set("model_json", MlmodelFile.modelJson(modelDir, "model"));
        model.set("files", fileList(root, modelDir, skipped));
      } catch (TrackingException e) {
        model = null;
        badModel = e; // the files are still uploaded; the model error is reported after
      }
    } else {
      LOG.debug("{} has no {} file: the files are uploaded but no MLflow model is logged", modelDir,
          MlmodelFile.FILE_NAME);
    }
    List<Journal.JournalEntry> entries = new ArrayList<>();
    synchronized (stateLock) {
      if (!isOpenForEntries()) {
        return;
      }
      entries.add(journal.append(EntrySender.ARTIFACTS, artifacts));
      if (model != null) {
        linkMetrics(model);
        entries.add(journal.append(EntrySender.MODEL, model));
      }
    }
    sendAll(entries);
    if (badModel != null) {
      throw badModel;
    }
  }

  /** Adds the run's final metrics, and the test data set they were computed on, to a model entry. */
  private void linkMetrics(ObjectNode model) {
    if (finalMetrics == null) {
      return;
    }
    ObjectNode metrics = model.putObject("metrics");
    metrics.put("timestamp", finalMetrics.path("timestamp").asLong());
    metrics.set("values", finalMetrics.path("metrics").deepCopy());
    if (testInput != null) {
      metrics.put("dataset_name", testInput.name());
      metrics.put("dataset_digest", testInput.digest());
    }
  }

  @Override
  public void registerModel(String name, String description, Map<String, String> tags) {
    requireText(name, "registered model name");
    ObjectNode data = Journal.JSON.createObjectNode();
    data.put("name", name);
    if (description != null) {
      data.put("description", MlflowLimits.tagValue(description));
    }
    ObjectNode tagNode = data.putObject("tags");
    tags.forEach((k, v) -> tagNode.put(MlflowLimits.sanitizeKey(k), MlflowLimits.tagValue(v)));
    record(EntrySender.REGISTER, data);
  }

  @Override
  public void end(RunStatus status, String errorMessage) {
    ObjectNode data = Journal.JSON.createObjectNode();
    data.put("status", status.name());
    data.put("end_time", System.currentTimeMillis());
    if (errorMessage != null) {
      data.put("error", MlflowLimits.tagValue(errorMessage));
    }
    Journal.JournalEntry entry;
    synchronized (stateLock) {
      if (!started || ended) {
        return;
      }
      ended = true;
      entry = journal.append(EntrySender.END, data);
    }
    drainBackground(END_WAIT_SECONDS);
    try {
      send(entry, END_WAIT_SECONDS);
    } catch (TrackingException e) {
      // end() runs in finally blocks and shutdown hooks: report, never throw over the run's own error
      LOG.error("{}", e.getMessage());
    }
  }

  @Override
  public void close() {
    end(RunStatus.FAILED, "the tracker was closed before the run ended");
    synchronized (stateLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    boolean locked = lockForSend(END_WAIT_SECONDS);
    try {
      if (journal != null) {
        journal.close();
      }
      if (server != null) {
        background.shutdown();
        server.close();
      }
    } finally {
      if (locked) {
        sendLock.unlock();
      }
    }
  }

  @Override
  public Optional<String> runId() {
    return Optional.ofNullable(remote.runId);
  }

  @Override
  public Optional<String> runUrl() {
    String runId = remote.runId;
    return runId == null ? Optional.empty() : Optional.of(server.runUrl(remote.experimentId, runId));
  }

  @Override
  public boolean isRemote() {
    return server != null;
  }

  private void record(String op, ObjectNode data) {
    Journal.JournalEntry entry;
    synchronized (stateLock) {
      if (!isOpenForEntries()) {
        return;
      }
      entry = journal.append(op, data);
    }
    drainBackground(END_WAIT_SECONDS);
    send(entry, Long.MAX_VALUE);
  }

  /** True when entries may be added; false (and a debug line) after end(). */
  private boolean isOpenForEntries() {
    if (!started) {
      throw new IllegalStateException("start() must be called before logging to the run in " + runDir);
    }
    if (ended) {
      LOG.debug("ignoring a tracking call after the run ended");
      return false;
    }
    return true;
  }

  /** Sends entries in order; a rejection of one does not stop the others, the first is rethrown. */
  private void sendAll(List<Journal.JournalEntry> entries) {
    drainBackground(END_WAIT_SECONDS);
    TrackingException first = null;
    for (Journal.JournalEntry entry : entries) {
      try {
        send(entry, Long.MAX_VALUE);
      } catch (TrackingException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void send(Journal.JournalEntry entry, long lockWaitSeconds) {
    if (server == null || offline) {
      return;
    }
    if (!lockForSend(lockWaitSeconds)) {
      LOG.warn("MLflow call still in flight after {} s; '{}' stays in {} for `runner sync`", lockWaitSeconds,
          entry.op(), Journal.file(runDir));
      return;
    }
    try {
      if (offline || closed) {
        return;
      }
      if (!entry.op().equals(EntrySender.START) && !remote.created()) {
        return; // the server rejected the run itself; there is nothing to attach this to
      }
      ObjectNode result = sender.send(entry, remote);
      journal.ack(entry.seq(), result);
    } catch (TrackingException e) {
      journal.fail(entry.seq(), e.getMessage());
      throw e;
    } catch (Retry.ServerUnavailableException e) {
      goOffline(e.getMessage(), null);
    } catch (UncheckedIOException e) {
      throw e; // the journal itself cannot be written: the run's record is at stake, say so loudly
    } catch (RuntimeException e) {
      // unexpected (a bug, an odd answer): keep the entry pending so that sync can retry it
      goOffline(e.toString(), e);
    } finally {
      sendLock.unlock();
    }
  }

  private boolean lockForSend(long waitSeconds) {
    if (waitSeconds == Long.MAX_VALUE) {
      sendLock.lock();
      return true;
    }
    try {
      return sendLock.tryLock(waitSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void goOffline(String reason, Throwable unexpected) {
    offline = true;
    String message = "MLflow server at {} is not reachable ({}). The run goes on and is recorded in {};"
        + " upload it later with `runner sync` on the outputs folder.";
    if (unexpected != null) {
      LOG.error(message, server.uri(), reason, Journal.file(runDir), unexpected);
    } else {
      LOG.warn(message, server.uri(), reason, Journal.file(runDir));
    }
  }

  private String relativeToRunDir(Path dir) {
    Path base = runDir.toAbsolutePath().normalize();
    return dir.startsWith(base) ? base.relativize(dir).toString().replace('\\', '/') : dir.toString();
  }

  /** Regular files under {@code dir}, sorted, as paths relative to {@code root}, skipping tracking/. */
  private static com.fasterxml.jackson.databind.node.ArrayNode fileList(Path root, Path dir, List<Path> skipped) {
    var files = Journal.JSON.createArrayNode();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> skipped.stream().noneMatch(p.toAbsolutePath().normalize()::startsWith))
          .sorted()
          .forEach(p -> {
            ObjectNode f = files.addObject();
            f.put("path", root.relativize(p).toString().replace('\\', '/'));
            f.put("size", p.toFile().length());
          });
    } catch (IOException e) {
      throw new TrackingException("Cannot list the run's files in " + dir + ": " + e.getMessage(), 0, e);
    }
    return files;
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
