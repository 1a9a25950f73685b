package io.manifold.http;

import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.util.ByteString;

/**
 * A request as {@link DynoWire} sends it to a dyno: its head already rendered, with Heroku's
 * headers ({@link RequestHead#proxied}), and its body to follow.
 *
 * @param head the request line and headers, up to and with the empty line
 * @param entity the body: strict (sent with the head) or streamed after it
 * @param headMethod a HEAD request, whose response has no body
 * @param http10 an HTTP/1.0 request, after whose response the dyno closes the connection
 */
record DynoRequest(ByteString head, RequestEntity entity, boolean headMethod, boolean http10) {}
