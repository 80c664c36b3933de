package io.deepad4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the JSON files deepad4j wrote itself and reads back (a model folder's detector.json,
 * preprocessing.json, pca.json, ...). A damaged one is a {@link DataException} that names the file,
 * the line and column and what to do, not Jackson's own message (whose source is "REDACTED").
 */
public final class JsonFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFiles() {}

  /**
   * The JSON object in {@code file}.
   *
   * @param remedy what the user can do about a damaged file, e.g. "re-run the spec to save the model again"
   */
  public static JsonNode readObject(Path file, String remedy) {
    JsonNode node;
    try {
      node = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new DataException(file + (at == null ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr())
          + ": not valid JSON (" + withoutSource(e.getOriginalMessage()) + "); the file is damaged: " + remedy + ".", e);
    } catch (NoSuchFileException e) {
      throw new DataException(file + " does not exist: " + remedy + ".", e);
    } catch (IOException e) {
      throw new DataException("cannot read " + file + " (" + e.getMessage() + ")", e);
    }
    if (node == null || !node.isObject()) {
      throw new DataException(file + ": empty or not a JSON object; the file is damaged: " + remedy + ".");
    }
    return node;
  }

  /** Jackson's message without its "[Source: REDACTED ...; line: 6, column: 1201]" parts: the file and line are given. */
  private static String withoutSource(String message) {
    return message.replaceAll("\\s*\\(start marker at \\[Source: [^]]*\\]\\)", "").replaceAll("\\s*at \\[Source: [^]]*\\]", "").trim();
  }
}
