package io.deepad4j.tracking;

/**
 * The MLflow server rejected a call (an HTTP 4xx other than 429, which no retry will fix), or a
 * local file the call needs could not be read. The message carries the server's own message.
 *
 * <p>The call is journaled as failed and never replayed by {@link Sync}; the tracker stays usable, so a
 * caller may log the exception and carry on with the run.
 */
public class TrackingException extends RuntimeException {
  private final int httpStatus;
  private final String errorCode;

  public TrackingException(String message) {
    this(message, 0, null, null);
  }

  public TrackingException(String message, int httpStatus, Throwable cause) {
    this(message, httpStatus, null, cause);
  }

  public TrackingException(String message, int httpStatus, String errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status the server answered with, or 0 when the failure was local. */
  public int httpStatus() {
    return httpStatus;
  }

  /** MLflow's error code (e.g. {@code INVALID_PARAMETER_VALUE}), or null when there was none. */
  public String errorCode() {
    return errorCode;
  }
}
