package io.manifold.http;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Heroku's {@code X-Request-Id} rule: a client's id is kept if it is 20 to 200 characters of
 * {@code [A-Za-z0-9+/=-]}; otherwise the router makes a UUID.
 */
final class RequestIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9+/=-]{20,200}");

  private RequestIds() {}

  static String pick(String fromClient) {
    return fromClient != null && VALID.matcher(fromClient).matches() ? fromClient : UUID.randomUUID().toString();
  }
}
