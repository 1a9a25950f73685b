package io.manifold.cluster;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The cluster's members by node name, as this node sees them now. A node's name travels as its
 * cluster role {@code name:<node>} (set by {@link ManifoldNode}), so that every node can say which
 * member runs the dynos that carry that name. Read from the cluster's current state, a snapshot
 * that is safe to read from any thread.
 */
final class Members {
  static final String ROLE_PREFIX = "name:";

  private Members() {}

  /** Name to status in lower case: {@code up}, {@code joining}, {@code leaving}, {@code unreachable}, ... */
  static Map<String, String> of(Cluster cluster) {
    var state = cluster.state();
    Set<Member> unreachable = new HashSet<>();
    state.getUnreachable().forEach(unreachable::add);
    Map<String, String> byName = new TreeMap<>();
    for (Member m : state.getMembers()) {
      String status = unreachable.contains(m) ? "unreachable" : m.status().toString().toLowerCase(Locale.ROOT);
      byName.put(name(m), status);
    }
    return byName;
  }

  /** How many members have each status ({@link #of}'s words). */
  static Map<String, Integer> countByStatus(Cluster cluster) {
    Map<String, Integer> counts = new TreeMap<>();
    of(cluster).values().forEach(status -> counts.merge(status, 1, Integer::sum));
    return counts;
  }

  /** The member's node name, or its address for a member started without one. */
  static String name(Member m) {
    for (String role : m.getRoles()) {
      if (role.startsWith(ROLE_PREFIX)) {
        return role.substring(ROLE_PREFIX.length());
      }
    }
    return m.address().toString();
  }
}
