package io.deepad4j.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one call with retries: transient failures (connection refused or timed out, HTTP 5xx, 429)
 * are retried after 0.5, 1, 2, 4 s while the total stays within {@link #budget}; then the server
 * counts as unavailable ({@link ServerUnavailableException}). Any other 4xx is final and becomes a
 * {@link TrackingException} with the server's message.
 */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  private static final long FIRST_DELAY_MS = 500;

  /**
   * The MLflow Java client's HTTP client has no timeouts, so its calls run on a daemon thread and
   * are abandoned after this long: a hung server costs one wait, not a hung training.
   */
  private static final Duration CLIENT_CALL_DEADLINE = Duration.ofSeconds(20);

  private static final ExecutorService CLIENT_CALLS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "mlflow-client-call");
    t.setDaemon(true);
    return t;
  });

  private final Duration budget;

  Retry(Duration budget) {
    this.budget = budget;
  }

  /** Runs an HTTP call, retrying transient failures. */
  <T> T call(String what, Supplier<T> action) {
    long start = System.nanoTime();
    long delay = FIRST_DELAY_MS;
    while (true) {
      RuntimeException failure;
      try {
        return action.get();
      } catch (MlflowHttpException e) {
        if (!isTransient(e.getStatusCode())) {
          throw rejected(what, e);
        }
        failure = e;
      } catch (MlflowClientException | UncheckedIOException e) {
        if (!(e instanceof UncheckedIOException) && !(e.getCause() instanceof IOException)) {
          throw e;
        }
        failure = e;
      } catch (ServerUnavailableException e) {
        throw e; // a hung call: waiting again would only double the wait
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      if (elapsedMs + delay > budget.toMillis()) {
        throw new ServerUnavailableException(what + ": " + describe(failure), failure);
      }
      LOG.debug("{} failed ({}); retrying in {} ms", what, describe(failure), delay);
      sleep(delay);
      delay *= 2;
    }
  }

  /** Runs a call of the MLflow Java client under {@link #CLIENT_CALL_DEADLINE}, with retries. */
  <T> T callClient(String what, Supplier<T> action) {
    return call(what, () -> withDeadline(what, action));
  }

  private static <T> T withDeadline(String what, Supplier<T> action) {
    Future<T> future = CLIENT_CALLS.submit(action::get);
    try {
      return future.get(CLIENT_CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ServerUnavailableException(what + ": no answer within " + CLIENT_CALL_DEADLINE.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ServerUnavailableException(what + ": interrupted", e);
    }
  }

  static boolean isTransient(int status) {
    return status == 429 || status >= 500;
  }

  /** A final 4xx as a TrackingException with MLflow's error code and message. */
  static TrackingException rejected(String what, MlflowHttpException e) {
    String body = e.getBodyMessage() == null ? "" : e.getBodyMessage();
    String errorCode = null;
    String message = body;
    try {
      JsonNode json = Journal.JSON.readTree(body);
      if (json != null && json.has("message")) {
        errorCode = json.path("error_code").asText(null);
        message = json.get("message").asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // a proxy's HTML error page: keep the raw (abbreviated) body
    }
    return new TrackingException("MLflow rejected " + what + ": HTTP " + e.getStatusCode()
        + (errorCode == null ? "" : " " + errorCode) + ": " + MlflowHttp.abbreviate(message),
        e.getStatusCode(), errorCode, e);
  }

  private static String describe(RuntimeException e) {
    if (e instanceof MlflowHttpException h) {
      return "HTTP " + h.getStatusCode() + " " + MlflowHttp.abbreviate(String.valueOf(h.getBodyMessage()));
    }
    Throwable root = e.getCause() != null ? e.getCause() : e;
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnavailableException("interrupted while waiting to retry", e);
    }
  }

  /** The server could not be reached within the retry budget; the call may succeed later. */
  static final class ServerUnavailableException extends RuntimeException {
    ServerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
