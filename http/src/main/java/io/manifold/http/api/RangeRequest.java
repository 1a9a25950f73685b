package io.manifold.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heroku's list ranges: {@code Range: <field> [start]..[end][; max=N][, order=asc|desc]}, where a
 * start prefixed with {@code ]} is exclusive. A page holds at most {@code max} items (default 200,
 * at most 1,000); when more follow, the response is 206 with {@code Next-Range} set to continue
 * after the last item, and only then.
 */
record RangeRequest(String field, String start, boolean startExclusive, String end, int max, boolean descending, boolean asked) {
  static final int DEFAULT_MAX = 200;
  static final int MAX_MAX = 1_000;
  private static final Pattern RANGE = Pattern.compile(
      "\\s*([a-z_]+)\\s+(\\]?)([^.\\s;,]*)\\.\\.([^\\s;,]*)\\s*(.*)");
  private static final Pattern MAX = Pattern.compile("max\\s*=\\s*(\\d+)");
  private static final Pattern ORDER = Pattern.compile("order\\s*=\\s*(asc|desc)");

  /** A page of a list, and the {@code Next-Range} header when more follows (else null). */
  record Page(List<JsonNode> items, String nextRange, String contentRange) {}

  /**
   * @param header the request's {@code Range}, or null
   * @param fields the fields this list can be ordered by; the first is the default
   */
  static RangeRequest parse(String header, List<String> fields) {
    if (header == null || header.isBlank()) {
      return new RangeRequest(fields.get(0), "", false, "", DEFAULT_MAX, false, false);
    }
    Matcher m = RANGE.matcher(header);
    if (!m.matches()) {
      throw new ApiError(400, "bad_request",
          "Range must be '<field> [start]..[end][; max=N][, order=asc|desc]', not '" + header + "'");
    }
    String field = m.group(1);
    if (!Set.copyOf(fields).contains(field)) {
      throw new ApiError(400, "bad_request", "this list can be ranged by " + String.join(", ", fields) + ", not '" + field + "'");
    }
    String options = m.group(5);
    int max = DEFAULT_MAX;
    Matcher mm = MAX.matcher(options);
    if (mm.find()) {
      max = (int) Math.min(Long.parseLong(mm.group(1).length() > 9 ? "999999999" : mm.group(1)), MAX_MAX);
      if (max < 1) {
        throw new ApiError(400, "bad_request", "max in Range must be between 1 and " + MAX_MAX);
      }
    }
    Matcher om = ORDER.matcher(options);
    boolean desc = om.find() && om.group(1).equals("desc");
    return new RangeRequest(field, m.group(3), !m.group(2).isEmpty(), m.group(4), max, desc, true);
  }

  /**
   * Orders {@code all} by the field, keeps what lies in the range, and cuts a page. A list asked
   * for without a Range that fits one page keeps its own order (the Procfile's, the versions').
   */
  Page page(List<JsonNode> all) {
    Comparator<JsonNode> byField = Comparator.comparing(n -> n.get(field), RangeRequest::compare);
    List<JsonNode> sorted = new ArrayList<>(all);
    if (asked || all.size() > max) {
      sorted.sort(descending ? byField.reversed() : byField);
    }
    List<JsonNode> inRange = new ArrayList<>();
    for (JsonNode n : sorted) {
      if (after(n.get(field)) && before(n.get(field))) {
        inRange.add(n);
      }
    }
    List<JsonNode> items = inRange.subList(0, Math.min(max, inRange.size()));
    String next = null;
    String content = null;
    if (!items.isEmpty()) {
      String first = items.get(0).get(field).asText();
      String last = items.get(items.size() - 1).get(field).asText();
      content = field + " " + first + ".." + last;
      if (inRange.size() > items.size()) {
        next = field + " ]" + last + "..; max=" + max + (descending ? ", order=desc" : "");
      }
    }
    return new Page(items, next, content);
  }

  private boolean after(JsonNode value) {
    if (start.isEmpty()) {
      return true;
    }
    int c = compare(value, start);
    int c2 = descending ? -c : c;
    return startExclusive ? c2 > 0 : c2 >= 0;
  }

  private boolean before(JsonNode value) {
    if (end.isEmpty()) {
      return true;
    }
    int c = compare(value, end);
    return descending ? c >= 0 : c <= 0;
  }

  private static int compare(JsonNode a, String bound) {
    if (a.isNumber()) {
      try {
        return Long.compare(a.asLong(), Long.parseLong(bound));
      } catch (NumberFormatException e) {
        return a.asText().compareTo(bound);
      }
    }
    return a.asText().compareTo(bound);
  }

  private static int compare(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return Long.compare(a.asLong(), b.asLong());
    }
    return a.asText().compareTo(b.asText());
  }
}
