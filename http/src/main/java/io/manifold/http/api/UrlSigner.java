package io.manifold.http.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials carried by a URL, for what a client opens without its {@code Authorization} header:
 * a log session's stream (the CLI's, a browser's {@code EventSource}) and a scenario's HTML report
 * (a plain link). An HMAC under the API token, so that a new token voids every signed URL.
 */
final class UrlSigner {
  private final SecretKeySpec key;

  UrlSigner(String token) {
    this.key = new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** @param what names the thing and its kind (a log session id, {@code scenario-report:<run>}) */
  String sign(String what) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(what.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  boolean verify(String what, String signature) {
    return signature != null && MessageDigest.isEqual(
        sign(what).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
  }
}
