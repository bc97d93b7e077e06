package io.tracetics.app;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This node's name in the cluster: configured, or the host name plus a short hash of its DuckDB
 * file, so two processes on one host (each with its own file) get different names.
 */
final class NodeName {
  private NodeName() {}

  static String resolve(TraceticsConfiguration config) {
    String configured = config.getPipeline().nodeName;
    if (configured != null && !configured.isBlank()) {
      return configured.strip();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    String file =
        config.getDuckdb().path(config.getDataDir()).toAbsolutePath().normalize().toString();
    return host.replaceAll("[^A-Za-z0-9.-]", "-")
        + "-"
        + Integer.toHexString(file.hashCode() & 0xfffffff);
  }
}
