package io.deepad4j.tracking;
/** TEMPORARY shim. */
public final class Sync { public static String sync(java.nio.file.Path p, String u) { return "shim"; } }
