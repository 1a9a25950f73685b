package io.manifold.http;

import java.util.Locale;

/**
 * Which app a request is for, from its Host header: {@code shop.localhost:5000} is app
 * {@code shop}, as {@code shop.herokuapp.com} is on Heroku. Browsers and curl send
 * {@code *.localhost} to 127.0.0.1 without any DNS set-up.
 */
final class AppHost {
  private AppHost() {}

  /** The app's name, or null when the host is not {@code <app>.<domain>}. */
  static String appName(String hostHeader, String domain) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    String host = hostHeader.toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && host.indexOf(']') < colon) {
      host = host.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    String suffix = "." + domain.toLowerCase(Locale.ROOT);
    if (!host.endsWith(suffix)) {
      return null;
    }
    String name = host.substring(0, host.length() - suffix.length());
    return name.isEmpty() || name.contains(".") ? null : name;
  }
}
