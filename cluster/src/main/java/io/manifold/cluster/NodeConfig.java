package io.manifold.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * A node's whole configuration, in the order that lets every default be overridden: the caller's
 * overrides (flags), then JVM system properties ({@code -Dpekko.cluster...}), then
 * {@code application.conf} (or {@code -Dconfig.file}), then Manifold's cluster defaults
 * ({@code manifold-cluster.conf}: failure detector, Split Brain Resolver, sharding), then its node
 * defaults ({@code manifold-node.conf}), then every module's {@code reference.conf}.
 */
final class NodeConfig {
  /** Set by {@code manifold-cluster.conf}: the cluster defaults are in the config, under the caller's settings. */
  static final String LAYERED = "manifold.cluster-defaults";

  private NodeConfig() {}

  static Config load(Config overrides) {
    ClassLoader loader = NodeConfig.class.getClassLoader();
    return LocalManifold.withDataDir(overrides
        .withFallback(ConfigFactory.systemProperties())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(loader, "manifold-cluster.conf"))
        .withFallback(ConfigFactory.parseResources(loader, "manifold-node.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve());
  }

  /**
   * The config a node starts with: {@code config} as {@link #load} made it; a config made another
   * way gets the cluster defaults over it, as nodes always had them.
   */
  static Config withClusterDefaults(Config config) {
    if (config.hasPath(LAYERED)) {
      return config;
    }
    return ConfigFactory.parseResources(NodeConfig.class.getClassLoader(), "manifold-cluster.conf").withFallback(config);
  }
}
