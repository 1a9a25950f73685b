package io.manifold.core.app;

import io.manifold.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .env} file as foreman and {@code heroku local} read it: {@code KEY=value} lines,
 * optional {@code export}, blank lines and {@code #} comments; values bare (an inline
 * {@code  # comment} dropped), in single quotes (literal) or in double quotes ({@code \n},
 * {@code \"} and {@code \\} escapes).
 */
public final class EnvFile {
  private static final Pattern LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=(.*)$");

  private EnvFile() {}

  public static Map<String, String> read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InputException(file.toString(), "no such env file");
    } catch (IOException e) {
      throw new InputException(file.toString(), "cannot read the env file: " + e.getMessage());
    }
  }

  public static Map<String, String> parse(String source, String text) {
    Map<String, String> vars = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String place = source + ":" + (i + 1);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new InputException(place, "expected KEY=value with KEY of letters, digits and '_' (not starting with a digit)");
      }
      vars.put(m.group(1), value(m.group(2).strip(), place));
    }
    return vars;
  }

  private static String value(String raw, String place) {
    if (raw.startsWith("'")) {
      int end = raw.indexOf('\'', 1);
      if (end < 0) {
        throw new InputException(place, "expected a closing ' for the value");
      }
      requireNothingAfter(raw, end, place);
      return raw.substring(1, end);
    }
    if (raw.startsWith("\"")) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '"') {
          requireNothingAfter(raw, i, place);
          return b.toString();
        }
        if (c == '\\' && i + 1 < raw.length()) {
          char next = raw.charAt(++i);
          b.append(switch (next) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> next;
          });
        } else {
          b.append(c);
        }
      }
      throw new InputException(place, "expected a closing \" for the value");
    }
    int comment = raw.indexOf(" #");
    return (comment >= 0 ? raw.substring(0, comment) : raw).strip();
  }

  private static void requireNothingAfter(String raw, int closingQuote, String place) {
    String rest = raw.substring(closingQuote + 1).strip();
    if (!rest.isEmpty() && !rest.startsWith("#")) {
      throw new InputException(place, "expected nothing but a comment after the quoted value, found '" + rest + "'");
    }
  }
}
