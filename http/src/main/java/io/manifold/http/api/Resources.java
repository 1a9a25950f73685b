package io.manifold.http.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.manifold.core.app.AppState;
import io.manifold.core.app.AppView;
import io.manifold.core.app.DynoSize;
import io.manifold.core.app.Release;
import io.manifold.core.dyno.DynoState;
import io.manifold.core.logs.Drain;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The API's resources as Heroku's schema describes them (../shared/reference/heroku-platform-api):
 * every property of the schema, with its type, and the deprecated fields the {@code heroku} CLI
 * still reads ({@code size} of a formation, {@code process_tier} of an app).
 */
final class Resources {
  static final String STACK = "heroku-24";

  private final ApiSettings settings;
  private final String accountId;
  private final Instant accountCreated = Instant.now();

  Resources(ApiSettings settings) {
    this.settings = settings;
    this.accountId = uuid("account/" + settings.user());
  }

  static String uuid(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  ObjectNode account() {
    String now = Json.time(accountCreated);
    ObjectNode a = Json.object()
        .put("allow_tracking", false)
        .put("beta", false)
        .put("created_at", now)
        .put("email", settings.user())
        .put("federated", false)
        .put("id", accountId);
    a.putNull("identity_provider");
    a.put("last_login", now).put("name", settings.user().replaceAll("@.*", ""));
    a.putNull("sms_number");
    a.putNull("suspended_at");
    a.putNull("delinquent_at");
    a.put("two_factor_authentication", false).put("updated_at", now).put("verified", true);
    a.putNull("country_of_residence");
    a.putNull("default_organization");
    a.putNull("default_team");
    return a;
  }

  ObjectNode app(AppView view) {
    AppState s = view.state();
    ObjectNode a = Json.object().put("acm", false);
    a.putNull("archived_at");
    a.putNull("buildpack_provided_description");
    a.set("build_stack", Json.ref(uuid("stack/" + STACK), STACK));
    a.put("created_at", Json.time(s.createdAt()));
    a.set("generation", Json.ref(uuid("generation/cedar"), "cedar"));
    a.put("git_url", s.slug() == null ? "" : "file://" + s.slug().dir());
    a.put("id", s.id());
    a.putNull("internal_routing");
    a.put("maintenance", s.maintenance());
    a.put("name", s.name());
    a.set("owner", Json.object().put("email", settings.user()).put("id", accountId));
    a.putNull("organization");
    a.putNull("team");
    a.set("region", Json.ref(uuid("region/us"), "us"));
    Release current = s.current();
    a.put("released_at", current == null ? null : Json.time(current.createdAt()));
    a.putNull("repo_size");
    a.putNull("slug_size");
    a.putNull("space");
    a.set("stack", Json.ref(uuid("stack/" + STACK), STACK));
    a.put("updated_at", Json.time(s.updatedAt()));
    a.put("web_url", settings.routerUrl().formatted(s.name()));
    a.put("process_tier", "basic"); // not eco: the CLI would ask for eco quotas
    a.put("locked", false);
    return a;
  }

  ObjectNode formation(AppView view, String type) {
    AppState s = view.state();
    String size = s.size(type);
    ObjectNode f = Json.object();
    f.set("app", appRef(s));
    f.put("command", s.slug() == null ? "" : s.slug().processTypes().getOrDefault(type, ""));
    f.put("created_at", Json.time(s.createdAt()));
    f.set("dyno_size", Json.ref(uuid("size/" + size), size));
    f.put("id", s.formationId(type));
    f.put("quantity", s.quantity(type));
    f.put("size", size);
    f.put("type", type);
    f.put("updated_at", Json.time(s.formationUpdated().getOrDefault(type, s.createdAt())));
    return f;
  }

  ArrayNode formations(AppView view) {
    ArrayNode list = Json.array();
    view.state().quantities().keySet().forEach(type -> list.add(formation(view, type)));
    return list;
  }

  ObjectNode dyno(AppView view, AppView.DynoView d) {
    AppState s = view.state();
    ObjectNode o = Json.object();
    o.putNull("attach_url");
    o.put("command", d.status().command());
    o.put("created_at", Json.time(d.createdAt()));
    o.put("id", d.id());
    o.put("name", d.name());
    Release r = s.release(d.status().release()).orElse(s.current());
    o.set("release", Json.object().put("id", r.id()).put("version", r.version()));
    o.set("app", appRef(s));
    o.put("size", d.size());
    o.put("state", d.status().state() == DynoState.COMPLETE ? "down" : d.status().state().word());
    o.put("type", d.status().name().type());
    o.put("updated_at", Json.time(d.status().since()));
    o.put("node", d.node()); // Manifold's own: where the dyno runs
    return o;
  }

  ObjectNode release(AppView view, Release r) {
    AppState s = view.state();
    ObjectNode o = Json.object();
    o.set("addon_plan_names", Json.array());
    o.set("artifacts", Json.array());
    o.set("app", appRef(s));
    o.put("created_at", Json.time(r.createdAt()));
    o.put("description", r.description());
    o.put("id", r.id());
    o.put("updated_at", Json.time(r.createdAt()));
    if (r.slug() == null) {
      o.putNull("slug");
    } else {
      o.set("slug", Json.object().put("id", uuid("slug/" + r.slug().id())));
    }
    o.put("status", "succeeded");
    o.set("user", Json.object().put("id", accountId).put("email", r.user()));
    o.put("version", r.version());
    o.put("current", s.current() != null && s.current().version() == r.version());
    o.putNull("output_stream_url");
    o.put("eligible_for_rollback", true);
    return o;
  }

  ObjectNode build(AppView view, Release r) {
    ObjectNode o = Json.object();
    o.set("app", Json.object().put("id", view.state().id()));
    o.putNull("buildpacks");
    o.put("created_at", Json.time(r.createdAt()));
    o.put("generation", "cedar");
    o.put("id", r.id());
    o.put("output_stream_url", "");
    o.set("source_blob", Json.object()
        .putNull("checksum")
        .put("url", r.slug() == null ? "" : "file://" + r.slug().dir())
        .put("version", r.slug() == null ? null : r.slug().shortId())
        .putNull("version_description"));
    o.set("release", Json.object().put("id", r.id()));
    o.set("slug", r.slug() == null ? null : Json.object().put("id", uuid("slug/" + r.slug().id())));
    o.put("stack", STACK);
    o.put("status", "succeeded");
    o.put("updated_at", Json.time(r.createdAt()));
    o.set("user", Json.object().put("id", accountId).put("email", r.user()));
    return o;
  }

  ObjectNode drain(AppView view, Drain d) {
    ObjectNode o = Json.object();
    o.putNull("addon");
    o.set("app", appRef(view.state()));
    o.put("created_at", Json.time(d.createdAt()));
    o.put("id", d.id());
    o.put("token", d.token());
    o.put("updated_at", Json.time(d.createdAt()));
    o.put("url", d.url());
    return o;
  }

  ArrayNode dynoSizes() {
    ArrayNode list = Json.array();
    for (DynoSize size : DynoSize.ALL) {
      list.add(Json.object().put("id", uuid("size/" + size.name())).put("name", size.name())
          .put("memory", size.memoryMb() / 1024.0).put("dedicated", size.name().startsWith("Performance")));
    }
    return list;
  }

  private static ObjectNode appRef(AppState s) {
    return Json.object().put("id", s.id()).put("name", s.name());
  }
}
