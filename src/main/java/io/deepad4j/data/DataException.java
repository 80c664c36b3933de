package io.deepad4j.data;

/**
 * A data set could not be obtained or read. The message names the file (and the line, where one
 * is to blame) and says what the user can do about it.
 */
public class DataException extends RuntimeException {

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
