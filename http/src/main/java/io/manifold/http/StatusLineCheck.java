package io.manifold.http;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Heroku's rule for a dyno's status line (HEROKU.md section 1.5): a three-digit code and then a
 * reason phrase, {@code HTTP/1.1 200 OK}; {@code HTTP/1.1 200} alone is a poorly formatted
 * response, H17. Pekko's parser accepts the short form and its model cannot tell the two apart, so
 * on a connection that Pekko's client reads (an upgrade, {@link UpgradeRelay}) this stage looks at
 * the bytes before the parser does; the router's own keep-alive connections read the status line
 * themselves ({@link ResponseHead}) and refuse it with the same {@link MissingReasonPhrase}. An
 * upgrade's connection carries its one request, so its first bytes begin the response, and
 * everything after that first line passes unchecked.
 *
 * <p>As RFC 9112 allows, the reason phrase may be empty after its space ({@code HTTP/1.1 200 }).
 * Only a status line that is well formed up to its code and then ends is refused here; any other
 * malformed head is left to Pekko's parser (H17 too), and a line longer than {@code maxLine}
 * passes unchecked to the parser's own limit (H25).
 */
final class StatusLineCheck extends GraphStage<FlowShape<ByteString, ByteString>> {

  /** A response's status line had no reason phrase. */
  static final class MissingReasonPhrase extends IllegalStateException {
    MissingReasonPhrase(String line) {
      super("status line without a reason phrase: " + line);
    }
  }

  private final Inlet<ByteString> in = Inlet.create("StatusLineCheck.in");
  private final Outlet<ByteString> out = Outlet.create("StatusLineCheck.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final int maxLine;

  StatusLineCheck(int maxLine) {
    this.maxLine = maxLine;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      /** The start of the response, held until its first line is complete. */
      private ByteString held = ByteString.emptyByteString();
      /** The status line was checked: the rest passes as it comes. */
      private boolean checked;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString chunk = grab(in);
            if (checked) {
              push(out, chunk);
              return;
            }
            held = held.concat(chunk);
            int eol = held.indexOf((byte) '\n');
            if (eol < 0 && held.size() <= maxLine) {
              pull(in);
              return;
            }
            checked = true;
            if (eol >= 0 && missingReason(held, eol)) {
              failStage(new MissingReasonPhrase(held.slice(0, eol).utf8String().trim()));
              return;
            }
            ByteString all = held;
            held = ByteString.emptyByteString();
            push(out, all);
          }

          @Override
          public void onUpstreamFinish() {
            if (!held.isEmpty()) {
              emit(out, held);
            }
            completeStage();
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }
        });
      }
    };
  }

  /** {@code HTTP/d.d ddd} followed by the end of the line rather than a space. */
  static boolean missingReason(ByteString b, int eol) {
    if (eol < 12 || b.apply(0) != 'H' || b.apply(1) != 'T' || b.apply(2) != 'T' || b.apply(3) != 'P' || b.apply(4) != '/'
        || !digit(b.apply(5)) || b.apply(6) != '.' || !digit(b.apply(7)) || b.apply(8) != ' '
        || !digit(b.apply(9)) || !digit(b.apply(10)) || !digit(b.apply(11))) {
      return false; // not a status line this check understands: Pekko's parser judges it
    }
    byte after = b.apply(12);
    return after == '\r' || after == '\n';
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }
}
