package io.manifold.http.api;

import io.manifold.core.logs.LogFilter;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log sessions, as {@code heroku logs} creates them: what to stream, at a URL that carries its own
 * credential ({@code ?srv=}, an HMAC of the session id under the API token), because the CLI opens
 * the stream without the {@code Authorization} header. Bounded: a session that has not been used
 * for {@code ttl} is forgotten, and no more than {@code max} exist.
 */
final class LogSessions {
  record Session(String id, String app, LogFilter filter, int lines, boolean tail, Instant createdAt) {}

  private final ApiSettings settings;
  private final UrlSigner signer;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();

  LogSessions(ApiSettings settings) {
    this.settings = settings;
    this.signer = new UrlSigner(settings.token());
  }

  /** A new session, or null when {@code max} sessions are in use. */
  Session create(String app, LogFilter filter, int lines, boolean tail) {
    expire();
    if (sessions.size() >= settings.maxLogSessions()) {
      return null;
    }
    Session s = new Session(UUID.randomUUID().toString(), app, filter, lines, tail, Instant.now());
    sessions.put(s.id(), s);
    lastUsed.put(s.id(), s.createdAt());
    return s;
  }

  /** The session if it exists and the signature is its own; marks it used. */
  Session open(String id, String signature) {
    Session s = sessions.get(id);
    if (s == null || !signer.verify(id, signature)) {
      return null;
    }
    lastUsed.put(id, Instant.now());
    return s;
  }

  /** The stream's URL, with its credential. */
  String url(Session s) {
    return "http://" + settings.publicHost() + ":" + settings.port() + "/log-sessions/" + s.id() + "?srv=" + signer.sign(s.id());
  }

  private void expire() {
    Instant cutoff = Instant.now().minus(settings.logSessionTtl());
    for (Iterator<Map.Entry<String, Instant>> it = lastUsed.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> e = it.next();
      if (e.getValue().isBefore(cutoff)) {
        sessions.remove(e.getKey());
        it.remove();
      }
    }
  }
}
