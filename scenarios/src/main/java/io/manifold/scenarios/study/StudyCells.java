package io.manifold.scenarios.study;

import io.manifold.scenarios.yaml.Values;
import io.manifold.sim.dist.Distribution;
import io.manifold.sim.load.ClosedLoop;
import io.manifold.sim.load.OpenLoop;
import io.manifold.sim.load.RateProfile;
import io.manifold.sim.load.Workload;
import io.manifold.sim.route.FrontSettings;
import io.manifold.sim.run.Cell;
import io.manifold.sim.run.RunSpec;
import io.manifold.sim.runtime.ServiceModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a study into its cells: every combination of the swept values (the first parameter of
 * {@code compare} varies slowest), each with the run it makes. A utilisation (rho) becomes an
 * arrival rate per cell: lambda = rho x dynos x concurrency / mean service time.
 */
public final class StudyCells {
  private StudyCells() {}

  /** @param baseDir where files named in the study (empirical distributions) are */
  public static List<Cell> cells(Study study, Path baseDir) {
    List<Map<String, String>> combinations = new ArrayList<>();
    combinations.add(new LinkedHashMap<>());
    for (Study.Sweep sweep : study.compare()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : combinations) {
        for (String value : sweep.values()) {
          Map<String, String> c = new LinkedHashMap<>(partial);
          c.put(sweep.parameter(), value);
          next.add(c);
        }
      }
      combinations = next;
    }
    List<Cell> cells = new ArrayList<>();
    for (Map<String, String> params : combinations) {
      cells.add(new Cell(cells.size(), params, spec(study, params, baseDir)));
    }
    return cells;
  }

  private static RunSpec spec(Study study, Map<String, String> params, Path baseDir) {
    Study.App app = study.app();
    int dynos = params.containsKey("dynos") ? Integer.parseInt(params.get("dynos")) : app.dynos();
    int concurrency = params.containsKey("concurrency") ? Integer.parseInt(params.get("concurrency")) : app.concurrency();
    Distribution service = params.containsKey("service") ? Distribution.parse(params.get("service"), baseDir) : app.service();
    String policy = params.getOrDefault("policy", study.router().policy());
    int nodes = params.containsKey("router-nodes") ? Integer.parseInt(params.get("router-nodes")) : study.router().nodes();
    FrontSettings.Queue queue = params.containsKey("queue")
        ? FrontSettings.Queue.valueOf(params.get("queue").toUpperCase(Locale.ROOT)) : study.router().queue();
    ServiceModel model = new ServiceModel(service, concurrency, app.backlog(), app.boot(), app.errorRate(), app.memory());
    FrontSettings front = FrontSettings.HEROKU.withTimeout(study.router().timeout()).withQueue(queue, concurrency);
    Supplier<Workload> load = load(study.load(), params, dynos, concurrency, service);
    int traceLimit = study.output().trace() ? study.output().traceLimit() : 0;
    return new RunSpec(dynos, model, policy, nodes, front, load, study.warmup(), study.duration(), study.seed(), traceLimit);
  }

  private static Supplier<Workload> load(Study.Load load, Map<String, String> params, int dynos, int concurrency, Distribution service) {
    if (load instanceof Study.Closed c) {
      return () -> new ClosedLoop(c.users(), c.think());
    }
    if (load instanceof Study.Replay r) {
      return r.trace()::fresh;
    }
    Study.Open open = (Study.Open) load;
    RateProfile profile;
    if (params.containsKey("rate")) {
      profile = RateProfile.constant(Values.rate(params.get("rate")));
    } else if (params.containsKey("rho")) {
      profile = RateProfile.constant(new Study.Level(Values.rho(params.get("rho")), true).perSecond(dynos, concurrency, service));
    } else if (open.level() != null) {
      profile = RateProfile.constant(open.level().perSecond(dynos, concurrency, service));
    } else {
      List<RateProfile.Segment> segments = new ArrayList<>();
      for (Study.Segment s : open.profile()) {
        segments.add(new RateProfile.Segment(s.length().toNanos(),
            s.from().perSecond(dynos, concurrency, service), s.to().perSecond(dynos, concurrency, service)));
      }
      profile = new RateProfile(segments);
    }
    RateProfile p = profile;
    return () -> new OpenLoop(open.arrivals(), p);
  }
}
