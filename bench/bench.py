#!/usr/bin/env python3
"""Manifold's router against nginx and HAProxy, on the same three dynos, in one interleaved run.

Started by bench/run.sh (which installs the tools and builds what is needed); see the README's
"Benchmarks" section. Everything listens on 127.0.0.1 only, and every step is bounded in time.

Targets: direct (no proxy: with wrk one dyno; in the open loop the three dynos, the generator's
connections spread over them as a proxy spreads its requests), nginx, HAProxy, Manifold (the
router of a local node whose app's three web dynos are the nginx backends the two peers proxy to
as well).
Phases, each rep-major (rep 1: direct, nginx, haproxy, manifold; rep 2: ...):
  c32, c128   closed loop, wrk -t1 -cN: throughput, and wrk's p50/p99 (service time)
  rate        open loop at RATE req/s over 32 connections (bench/OpenLoop.java): p50/p99/p99.9
              from each request's due time (coordinated omission corrected); as medians of the
              reps, and pooled: a target's reps as one histogram, whose p99 rests on 5x the
              requests and moves less with one unlucky rep
For each run: CPU of the proxy, the dynos, the load generator and every other process on the
machine (from /proc); a run during which other processes used more than OTHER_MAX cores is
repeated (up to TRIES times, the cleanest kept), since the machine is shared.

Env: DUR (s per run, 10), REPS (5), RATE (10000), PHASES (c32,c128,rate), WARMUP (s of load on
Manifold before measuring, 60), OUT (scratch dir), CSV (bench/history.csv), PORT_BASE (18270),
MANIFOLD_JAVA_OPTS (JVM options of the Manifold node), IDLE_WAIT (s to wait for a quiet machine
before each run, 10), OTHER_MAX (0.25), TRIES (3), NOTE (free text for the CSV row),
SERVE (s: only start the servers and keep them that long, for profiling by hand),
BASELINE_JAR (another build's cli/target/manifold.jar: its router is measured too, as target
"baseline", in the same interleaved run; e.g. the commit before a change), MANIFOLD_CONFIG (a
HOCON file with config for the Manifold node, e.g. dispatcher settings to try), BASELINE_CONFIG (the
same for the baseline node; with BASELINE_JAR=cli/target/manifold.jar it compares two configs),
BASELINE_JAVA_OPTS (the baseline node's JVM options, when they differ from MANIFOLD_JAVA_OPTS),
NODE_JVM_OPTIONS (a java @argument file that comes before those: cli/node-jvm.options, what
./manifold gives the nodes it starts, so that the node is measured as it runs; '' for the JVM's
defaults; left out, as ./manifold leaves it out, where the JVM's heap ceiling would be under 1 GB),
BASELINE_NODE_JVM_OPTIONS (the same for the baseline node, NODE_JVM_OPTIONS unless set),
NIO_FLOOR=1 (adds bench/NioFloor.java, a bare one-thread Java NIO proxy that is no router at all,
as the floor of what a JVM costs per proxied request here).
"""
import csv
import datetime
import json
import os
import re
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count()
DUR = int(os.environ.get("DUR", 10))
REPS = int(os.environ.get("REPS", 5))
RATE = int(os.environ.get("RATE", 10000))
PHASES = os.environ.get("PHASES", "c32,c128,rate").split(",")
WARMUP = int(os.environ.get("WARMUP", 60))
PORT_BASE = int(os.environ.get("PORT_BASE", 18270))
IDLE_WAIT = float(os.environ.get("IDLE_WAIT", 10))
IDLE_MAX = float(os.environ.get("IDLE_MAX", 0.3))
OTHER_MAX = float(os.environ.get("OTHER_MAX", 0.25))
TRIES = int(os.environ.get("TRIES", 3))
SERVE = int(os.environ.get("SERVE", 0))
STAMP = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
OUT = os.environ.get("OUT", f"/tmp/manifold-bench/{STAMP}")
CSV = os.environ.get("CSV", os.path.join(HERE, "history.csv"))
HDR = os.environ["HDR_JAR"]
JAR = os.environ.get("MANIFOLD_JAR", os.path.join(ROOT, "cli", "target", "manifold.jar"))
HOST = "bench.localhost"
BASELINE_JAR = os.environ.get("BASELINE_JAR", "")
MANIFOLD_CONFIG = os.environ.get("MANIFOLD_CONFIG", "")
BASELINE_CONFIG = os.environ.get("BASELINE_CONFIG", "")
NIO_FLOOR = os.environ.get("NIO_FLOOR", "") == "1"
NODE_JVM_OPTIONS = os.environ.get("NODE_JVM_OPTIONS", os.path.join(ROOT, "cli", "node-jvm.options"))
BASELINE_NODE_JVM_OPTIONS = os.environ.get("BASELINE_NODE_JVM_OPTIONS", NODE_JVM_OPTIONS)
TARGETS = (["direct", "nginx", "haproxy", "manifold"] + (["baseline"] if BASELINE_JAR else [])
           + (["nio-floor"] if NIO_FLOOR else []))

started = []  # (name, Popen) of every server we started, stopped in reverse order


def log(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------- processes and CPU (from /proc)

def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(c) for c in open(f"/proc/{pid}/task/{t}/children").read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def tree(pids):
    """the pids and all their descendants"""
    seen, todo = [], list(pids)
    while todo and len(seen) < 1000:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += children(p)
    return seen


def cpu_of(pids):
    s = 0.0
    for p in pids:
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            s += (int(f[11]) + int(f[12])) / CLK  # utime + stime
        except OSError:
            pass
    return s


def snapshot():
    """{pid: (starttime, cpu seconds, is kernel thread)} of every process"""
    snap = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                f = open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            snap[int(d)] = (f[19], (int(f[11]) + int(f[12])) / CLK, bool(int(f[6]) & 0x00200000) or int(f[1]) == 2)
    return snap


def foreign(before, after, ours):
    """CPU seconds of processes not ours (user space), and of kernel threads, between two snapshots"""
    user = kern = 0.0
    for pid, (st, cpu, kt) in after.items():
        if pid in ours:
            continue
        prev = before.get(pid)
        d = cpu - prev[1] if prev and prev[0] == st else cpu
        if kt:
            kern += d
        else:
            user += d
    return user, kern


def busy_cores(secs=1.0):
    def read():
        f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        return sum(f[:8]), sum(f[:8]) - f[3] - f[4]
    t0, b0 = read()
    time.sleep(secs)
    t1, b1 = read()
    return NCPU * (b1 - b0) / max(1, t1 - t0)


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


# ---------------------------------------------------------------- servers

def port_free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def wait_port(port, secs):
    deadline = time.time() + secs
    while time.time() < deadline:
        if not port_free(port):
            return True
        time.sleep(0.1)
    return False


def http_get(port, host=HOST):
    """one GET; the response read to its Content-Length (or the end of the stream), bounded by 5 s"""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while len(data) < 1 << 20:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if sep and m and len(body) >= int(m.group(1)):
                break
    return data.decode("latin-1")


def start(name, cmd, **kw):
    logf = open(os.path.join(OUT, "logs", f"{name}.out"), "w")
    p = subprocess.Popen(cmd, stdout=kw.pop("stdout", logf), stderr=logf, **kw)
    started.append((name, p))
    return p


def stop_all():
    for name, p in reversed(started):
        if p.poll() is None:
            if name in ("manifold", "baseline") and p.stdin:
                try:
                    p.stdin.close()  # BenchNode stops its dynos and exits when its input closes
                except OSError:
                    pass
            else:
                p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=60 if name in ("manifold", "baseline") else 10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)


def substitute(template, out, values):
    text = open(os.path.join(HERE, "conf", template)).read()
    for k, v in values.items():
        text = text.replace(f"@{k}@", str(v))
    path = os.path.join(OUT, out)
    open(path, "w").write(text)
    return path


def start_servers(java):
    router, api, nginx_port, haproxy_port = PORT_BASE, PORT_BASE + 1, PORT_BASE + 10, PORT_BASE + 20
    floor_port = PORT_BASE + 30
    for p in ((router, api, nginx_port, haproxy_port) + ((PORT_BASE + 2, PORT_BASE + 3) if BASELINE_JAR else ())
              + ((floor_port,) if NIO_FLOOR else ())):
        if not port_free(p):
            sys.exit(f"bench: port {p} is taken; set PORT_BASE to another range")
    for d in ("logs", "tmp", "ports", "classes"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)

    node, dynos = start_node("manifold", JAR, router, api, OUT)
    ports = [p for p, _ in dynos.values()]
    values = {"DIR": OUT, "DYNO1": ports[0], "DYNO2": ports[1], "DYNO3": ports[2]}
    nginx = start("nginx", ["nginx", "-p", OUT, "-c", substitute("nginx-proxy.conf", "nginx-proxy.conf",
                                                                 {**values, "PORT": nginx_port})])
    haproxy = start("haproxy", ["haproxy", "-db", "-f", substitute("haproxy.cfg", "haproxy.cfg",
                                                                 {**values, "PORT": haproxy_port})])
    for p in (nginx_port, haproxy_port):
        if not wait_port(p, 10):
            sys.exit(f"bench: nothing listens on {p}; see {OUT}/logs")
    if BASELINE_JAR:
        # its own app and dynos (a node runs the dynos it routes to), the same nginx backend
        base, base_dynos = start_node("baseline", BASELINE_JAR, PORT_BASE + 2, PORT_BASE + 3, os.path.join(OUT, "baseline"))
    # the router learns that the dynos are up a moment after they bind
    deadline = time.time() + 60
    while "200 OK" not in http_get(router).split("\r\n")[0] and time.time() < deadline:
        time.sleep(0.2)
    if NIO_FLOOR:
        floor = start("nio-floor", [JAVA, "-cp", f"{OUT}/classes", "NioFloor", str(floor_port)] + [str(p) for p in ports])
        if not wait_port(floor_port, 20):
            sys.exit(f"bench: NioFloor does not listen; see {OUT}/logs/nio-floor.out")
    urls = {"direct": ports[0], "nginx": nginx_port, "haproxy": haproxy_port, "manifold": router}
    if NIO_FLOOR:
        urls["nio-floor"] = floor_port
    if BASELINE_JAR:
        deadline = time.time() + 60
        while "200 OK" not in http_get(PORT_BASE + 2).split("\r\n")[0] and time.time() < deadline:
            time.sleep(0.2)
        urls["baseline"] = PORT_BASE + 2
    for t, p in urls.items():
        head = http_get(p).split("\r\n")[0]
        if "200" not in head:
            sys.exit(f"bench: {t} on port {p} answers {head!r}")
    backend = [pid for _, pid in dynos.values()]
    proxy = {"direct": [], "nginx": [nginx.pid], "haproxy": [haproxy.pid], "manifold": [node.pid]}
    if NIO_FLOOR:
        proxy["nio-floor"] = [floor.pid]
    if BASELINE_JAR:
        proxy["baseline"] = [base.pid]
        backend += [pid for _, pid in base_dynos.values()]
    return {
        "urls": {t: f"http://127.0.0.1:{p}/" for t, p in urls.items()},
        "proxy": proxy,
        "backend": backend,
        "dyno_ports": ports,
    }


def heap_ceiling(java_opts):
    """the heap ceiling (bytes) of a JVM started with {java_opts}, as the JVM reports it; 0 if it would not start"""
    out = subprocess.run([JAVA] + java_opts + ["-XX:+PrintFlagsFinal", "-version"], capture_output=True, text=True).stdout
    m = re.search(r"\bMaxHeapSize\s+=\s+(\d+)", out)
    return int(m.group(1)) if m else 0


def start_node(name, jar, router, api, run):
    """a Manifold node (BenchNode) from {jar}, its app's dynos writing their ports under {run}"""
    for d in ("ports", "classes"):
        os.makedirs(os.path.join(run, d), exist_ok=True)
    for stale in os.listdir(os.path.join(run, "ports")):  # from an earlier run in the same OUT
        os.remove(os.path.join(run, "ports", stale))
    classes = os.path.join(OUT, "classes-" + name)
    os.makedirs(classes, exist_ok=True)
    subprocess.run(["javac", "-nowarn", "-cp", jar, "-d", classes, os.path.join(HERE, "BenchNode.java")], check=True)
    options_file = BASELINE_NODE_JVM_OPTIONS if name == "baseline" else NODE_JVM_OPTIONS
    java_opts = shlex.split(os.environ.get("BASELINE_JAVA_OPTS" if name == "baseline" and "BASELINE_JAVA_OPTS" in os.environ
                                           else "MANIFOLD_JAVA_OPTS", ""))
    if options_file and heap_ceiling(java_opts) < 1 << 30:
        options_file = ""  # as ./manifold does: the file's -Xms1g would raise the ceiling, or clash with a smaller -Xmx
    opts = ([f"@{os.path.abspath(options_file)}"] if options_file else []) + java_opts
    log(f"bench: the {name} node's JVM options: {' '.join(opts) or '(the defaults)'}")
    # its collections and safepoints, with their pauses and the wall-clock time, so that a stall in a
    # repetition (whose output file in logs/ is written as it ends) can be told from the machine's
    opts.append(f"-Xlog:gc,safepoint:file={os.path.join(OUT, 'logs', name + '-gc.log')}:time,uptime,level,tags")
    config = BASELINE_CONFIG if name == "baseline" else MANIFOLD_CONFIG
    if config:
        opts.append(f"-Dconfig.file={os.path.abspath(config)}")
    node = start(name, [JAVA] + opts + ["-cp", f"{jar}:{classes}", "BenchNode", str(router), str(api),
                                        os.path.join(HERE, "app"), run],
                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = node.stdout.readline()
    if not line.startswith("ready"):
        sys.exit(f"bench: the {name} node did not start: {line!r}; see {OUT}/logs/{name}.out")
    # whatever else the node prints goes to its log, so that a full pipe never blocks it
    threading.Thread(target=lambda: [open(os.path.join(OUT, "logs", f"{name}.stdout"), "a").write(l)
                                     for l in node.stdout], daemon=True).start()
    deadline = time.time() + 60
    while len(os.listdir(os.path.join(run, "ports"))) < 3 and time.time() < deadline:
        time.sleep(0.2)
    dynos = {}
    for d in sorted(os.listdir(os.path.join(run, "ports")))[:3]:
        port, pid = open(os.path.join(run, "ports", d)).read().split()
        dynos[d] = (int(port), int(pid))
    if len(dynos) < 3 or not all(wait_port(p, 30) for p, _ in dynos.values()):
        sys.exit(f"bench: the {name} app's three web dynos did not come up; see {OUT}/logs/{name}.out")
    return node, dynos


# ---------------------------------------------------------------- one measurement

UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def parse_wrk(out):
    r = {"pct": {float(m.group(1)): float(m.group(2)) * UNIT[m.group(3)]
                 for m in re.finditer(r"^\s+(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"Socket errors: (.*)", out)
    r["errors"] = m.group(1).strip() if m else ""
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    return r


def target_url(phase, target, servers):
    """where a phase sends a target's load: the open loop's direct goes to the three dynos in turn,
    as each proxy spreads its requests, so that added latency is the proxy's and not one dyno's
    taking all 10,000/s (wrk takes one URL: the closed loop's direct is one dyno, at its limit)"""
    if target == "direct" and not phase.startswith("c"):
        return ",".join(f"http://127.0.0.1:{p}/" for p in servers["dyno_ports"])
    return servers["urls"][target]


def command(phase, url):
    if phase.startswith("c"):
        return ["wrk", "-t1", f"-c{phase[1:]}", f"-d{DUR}s", "--latency", "-H", f"Host: {HOST}", url]
    return [JAVA, "-cp", f"{HDR}:{OUT}/classes", "OpenLoop", "--url", url, "--host", HOST, "--rate", str(RATE),
            "--connections", "32", "--warmup", "2", "--duration", str(DUR)]


def run_once(tag, phase, target, servers):
    deadline = time.time() + IDLE_WAIT
    idle = busy_cores(0.5)
    while idle > IDLE_MAX and time.time() < deadline:
        idle = busy_cores(0.5)
    backend = tree(servers["backend"])
    # a Manifold node runs its dynos as child processes: they are the dynos' CPU, not the router's
    proxy = [p for p in tree(servers["proxy"][target]) if p not in set(backend)]
    ours = set(tree([p.pid for _, p in started]) + [os.getpid()])
    snap0 = snapshot()
    p0, b0, c0 = cpu_of(proxy), cpu_of(backend), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    gen = subprocess.Popen(command(phase, target_url(phase, target, servers)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    ours.add(gen.pid)
    try:
        out = gen.communicate(timeout=DUR + 60)[0]
    except subprocess.TimeoutExpired:
        gen.kill()
        out = gen.communicate()[0] + "\n(killed: over its time bound)"
    el = time.time() - t0
    p1, b1, c1 = cpu_of(proxy), cpu_of(backend), resource.getrusage(resource.RUSAGE_CHILDREN)
    other, kthreads = foreign(snap0, snapshot(), ours)
    open(os.path.join(OUT, "logs", f"{tag}.txt"), "w").write(" ".join(command(phase, target_url(phase, target, servers))) + "\n" + out)
    if phase.startswith("c"):
        w = parse_wrk(out)
        r = {"rps": w["rps"], "p50": w["pct"].get(50.0), "p99": w["pct"].get(99.0), "p999": None,
             "errors": f"{w['errors']} non2xx={w['non2xx']}".strip(),
             "loadgen": (c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime) / el, "window": el}
    else:
        try:
            j = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            sys.exit(f"bench: the open-loop generator failed: {out}")
        r = {"rps": j["achieved_rps"], "p50": j["p50_us"] / 1e3, "p99": j["p99_us"] / 1e3, "p999": j["p999_us"] / 1e3,
             "u_p50": j["u_p50_us"] / 1e3, "u_p99": j["u_p99_us"] / 1e3, "late_p50": j["late_p50_us"] / 1e3,
             "late_p99": j["late_p99_us"] / 1e3,
             "errors": f"non2xx={j['non2xx']} broken={j['broken']} unfinished={j['unfinished']}"
                       + (" OVERLOADED" if j["overloaded"] else ""),
             "loadgen": j["gen_cpu_cores"], "window": j["duration_s"], "hist": j.get("hist", [])}
    r.update({"proxy": (p1 - p0) / el, "backend": (b1 - b0) / el, "other": other / el, "kthreads": kthreads / el,
              "idle_before": idle, "tag": tag})
    r["proxy_us_per_req"] = 1e6 * r["proxy"] / r["rps"] if r["rps"] else 0.0
    log(f"  {tag:22s} rps={r['rps']:8.0f} p50={fmt(r['p50'])} p99={fmt(r['p99'])} p99.9={fmt(r['p999'])} "
        f"cores: gen={r['loadgen']:.2f} dynos={r['backend']:.2f} proxy={r['proxy']:.2f} other={r['other']:.2f} "
        f"kthr={r['kthreads']:.2f} proxy_us/req={r['proxy_us_per_req']:.1f} {r['errors']}")
    return r


def run(tag, phase, target, servers):
    best = None
    for attempt in range(1, TRIES + 1):
        r = run_once(tag, phase, target, servers)
        r["attempt"] = attempt
        if best is None or r["other"] < best["other"]:
            best = r
        if r["other"] <= OTHER_MAX:
            break
        if attempt < TRIES:
            log(f"  [{tag}] other processes used {r['other']:.2f} cores during the run; again")
    best["contaminated"] = best["other"] > OTHER_MAX
    return best


def fmt(ms):
    return "   -    " if ms is None else f"{ms:6.3f}ms"


# ---------------------------------------------------------------- summary

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarise(phase, rows):
    """per target: medians; added latency = median over reps of (target - direct in the same rep)"""
    s = {}
    for t in TARGETS:
        rs = rows[t]
        s[t] = {k: med([r.get(k) for r in rs]) for k in
                ("rps", "p50", "p99", "p999", "proxy", "backend", "loadgen", "other", "proxy_us_per_req",
                 "u_p50", "u_p99", "late_p50", "late_p99")}
        s[t]["rps_all"] = [round(r["rps"]) for r in rs]
        s[t]["p99_all"] = [r["p99"] for r in rs if r.get("p99") is not None]
        s[t]["contaminated"] = sum(r["contaminated"] for r in rs)
        s[t]["errors"] = "; ".join(sorted({r["errors"] for r in rs if r["errors"] not in ("", "non2xx=0",
                                                                                            "non2xx=0 broken=0 unfinished=0")}))
        for k in ("p50", "p99", "p999"):
            diffs = [r[k] - d[k] for r, d in zip(rs, rows["direct"]) if r.get(k) is not None and d.get(k) is not None]
            s[t]["added_" + k] = med(diffs) if t != "direct" else None
        pooled = pool([r.get("hist") for r in rs])
        for k, q in (("p99", 0.99), ("p999", 0.999)):
            s[t]["pooled_" + k] = percentile(pooled, q)
    for t in TARGETS:
        for k in ("p99", "p999"):
            v, d = s[t]["pooled_" + k], s["direct"]["pooled_" + k]
            s[t]["pooled_added_" + k] = None if t == "direct" or v is None or d is None else v - d
    return s


def pool(hists):
    """the open loop's histograms ([[ns, count], ...]) of every repetition as one: {ns: count}"""
    counts = {}
    for h in hists:
        for value, n in h or []:
            counts[value] = counts.get(value, 0) + n
    return counts


def percentile(counts, q):
    """the value (ms) at quantile q of a pooled histogram, as HdrHistogram reads it; None when empty"""
    total = sum(counts.values())
    if not total:
        return None
    need, seen = q * total, 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= need:
            return value / 1e6
    return max(counts) / 1e6


def table(phase, s):
    closed = phase.startswith("c")
    title = (f"closed loop, wrk -t1 -c{phase[1:]} -d{DUR}s ({REPS} reps, medians)" if closed
             else f"open loop, {RATE} req/s over 32 connections, {DUR} s ({REPS} reps, medians; latency from due time)")
    lines = [f"\n== {title}",
             "| target | req/s | p50 | p99 | p99.9 | added p50 | added p99 | added p99.9 | proxy CPU/req | proxy cores | generator cores | other cores |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for t in TARGETS:
        r = s[t]
        cell = lambda v, unit="ms": "–" if v is None else (f"{v:.3f} {unit}" if unit == "ms" else f"{v:.1f} µs")
        lines.append(f"| {t} | {r['rps']:,.0f} | {cell(r['p50'])} | {cell(r['p99'])} | {cell(r['p999'])} | "
                     f"{cell(r['added_p50'])} | {cell(r['added_p99'])} | {cell(r['added_p999'])} | "
                     f"{'–' if t == 'direct' else cell(r['proxy_us_per_req'], 'us')} | "
                     f"{'–' if t == 'direct' else format(r['proxy'], '.2f')} | {r['loadgen']:.2f} | {r['other']:.2f} |")
    m, n = s["manifold"], s["nginx"]
    if "baseline" in s:
        b = s["baseline"]
        lines.append(f"baseline/nginx: throughput {ratio(b['rps'], n['rps'])}, added p99 {ratio(b['added_p99'], n['added_p99'])}, "
                     f"CPU per request {ratio(b['proxy_us_per_req'], n['proxy_us_per_req'])}")
    lines.append(f"Manifold/nginx: throughput {ratio(m['rps'], n['rps'])}, added p99 {ratio(m['added_p99'], n['added_p99'])}, "
                 f"CPU per request {ratio(m['proxy_us_per_req'], n['proxy_us_per_req'])}"
                 + ("" if closed else f"; generator late by p50 {s['direct']['late_p50'] * 1e3:.0f} µs / p99 "
                                      f"{s['direct']['late_p99'] * 1e3:.0f} µs (direct runs)"))
    if not closed and s["nginx"]["pooled_p99"] is not None:
        pooled = lambda k: ", ".join(f"{t} {s[t]['pooled_' + k]:.3f}" for t in TARGETS if s[t]["pooled_" + k] is not None)
        lines.append(f"pooled (the {REPS} repetitions of a target as one histogram): p99 {pooled('p99')} ms; "
                     f"p99.9 {pooled('p999')} ms")
        lines.append(f"pooled added p99: " + ", ".join(f"{t} {s[t]['pooled_added_p99']:.3f}" for t in TARGETS[1:]
                                                        if s[t]["pooled_added_p99"] is not None)
                     + f" ms; Manifold/nginx {ratio(m['pooled_added_p99'], n['pooled_added_p99'])}")
        lines.extend(resolution(s))
    for t in TARGETS:
        if s[t]["errors"] or s[t]["contaminated"]:
            lines.append(f"  {t}: {s[t]['errors']} contaminated runs={s[t]['contaminated']}")
    return "\n".join(lines)


def resolution(s):
    """
    How finely this run can tell an added p99: direct's p99 over the repetitions is the base every
    added figure subtracts, and its spread is the run's resolution. When nginx adds less than that,
    the added-p99 ratio says nothing; the proxies' own p99 are then the figures to compare.
    """
    base = s["direct"].get("p99_all") or []
    if len(base) < 2:
        return []
    lo, hi = min(base), max(base)
    lines = [f"direct's p99 over the {len(base)} repetitions: {lo:.3f}-{hi:.3f} ms (the base every added figure subtracts)"]
    m, n = s["manifold"], s["nginx"]
    if n["added_p99"] is not None and n["added_p99"] < hi - lo:
        lines.append(f"nginx's added p99 ({n['added_p99']:.3f} ms) is within that spread, so the added-p99 ratio cannot be "
                     f"read in this run; the proxies' own p99, Manifold/nginx: {ratio(m['p99'], n['p99'])} "
                     f"(pooled {ratio(m['pooled_p99'], n['pooled_p99'])})")
    return lines


def ratio(a, b):
    """a / b; none when b is not above zero (an added latency at or below direct's is noise, not a base)"""
    return "–" if a is None or b is None or b <= 0 else f"{a / b:.2f}x"


def write_csv(meta, summaries):
    fields = ["run", "date", "commit", "note", "load_before", "load_after", "phase", "target", "reps", "dur_s",
              "rps_median", "rps_all", "p50_ms", "p99_ms", "p999_ms", "added_p50_ms", "added_p99_ms", "added_p999_ms",
              "proxy_cpu_us_per_req", "proxy_cores", "dyno_cores", "generator_cores", "other_cores",
              "contaminated_runs", "errors", "rps_vs_nginx", "added_p99_vs_nginx", "idle_proxy_cores",
              "pooled_p99_ms", "pooled_p999_ms", "pooled_added_p99_ms", "pooled_added_p99_vs_nginx"]
    new = not os.path.exists(CSV)
    with open(CSV, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        if new:
            w.writeheader()
        for phase, s in summaries.items():
            for t in TARGETS:
                r = s[t]
                rnd = lambda v, d=3: "" if v is None else round(v, d)
                w.writerow({"run": meta["run"], "date": meta["date"], "commit": meta["commit"], "note": meta["note"],
                            "load_before": meta["load_before"], "load_after": meta["load_after"], "phase": phase,
                            "target": t, "reps": REPS, "dur_s": DUR, "rps_median": rnd(r["rps"], 0),
                            "rps_all": " ".join(map(str, r["rps_all"])), "p50_ms": rnd(r["p50"]), "p99_ms": rnd(r["p99"]),
                            "p999_ms": rnd(r["p999"]), "added_p50_ms": rnd(r["added_p50"]),
                            "added_p99_ms": rnd(r["added_p99"]), "added_p999_ms": rnd(r["added_p999"]),
                            "proxy_cpu_us_per_req": "" if t == "direct" else rnd(r["proxy_us_per_req"], 1),
                            "proxy_cores": "" if t == "direct" else rnd(r["proxy"], 2), "dyno_cores": rnd(r["backend"], 2),
                            "generator_cores": rnd(r["loadgen"], 2), "other_cores": rnd(r["other"], 2),
                            "contaminated_runs": r["contaminated"], "errors": r["errors"],
                            "rps_vs_nginx": "" if t not in ("manifold", "baseline") else rnd(r["rps"] / s["nginx"]["rps"], 3),
                            "added_p99_vs_nginx": "" if t not in ("manifold", "baseline") or s["nginx"]["added_p99"] is None
                            or s["nginx"]["added_p99"] <= 0 or r["added_p99"] is None
                            else rnd(r["added_p99"] / s["nginx"]["added_p99"], 3),
                            "idle_proxy_cores": "" if t == "direct" else rnd(meta.get("idle_cores", {}).get(t), 3),
                            "pooled_p99_ms": rnd(r.get("pooled_p99")), "pooled_p999_ms": rnd(r.get("pooled_p999")),
                            "pooled_added_p99_ms": rnd(r.get("pooled_added_p99")),
                            "pooled_added_p99_vs_nginx": "" if t not in ("manifold", "baseline")
                            or not s["nginx"].get("pooled_added_p99") or s["nginx"]["pooled_added_p99"] <= 0
                            or r.get("pooled_added_p99") is None
                            else rnd(r["pooled_added_p99"] / s["nginx"]["pooled_added_p99"], 3)})


# ---------------------------------------------------------------- main

def main():
    global JAVA
    # SIGTERM (and SIGINT, even when started in the background) stops every server we started
    signal.signal(signal.SIGTERM, lambda *a: sys.exit("bench: stopped"))
    signal.signal(signal.SIGINT, lambda *a: sys.exit("bench: stopped"))
    JAVA = os.environ.get("JAVA", "java")
    os.makedirs(os.path.join(OUT, "classes"), exist_ok=True)
    subprocess.run(["javac", "-nowarn", "-cp", HDR, "-d", os.path.join(OUT, "classes"), os.path.join(HERE, "OpenLoop.java"),
                    os.path.join(HERE, "NioFloor.java")], check=True)
    commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                            text=True).stdout.strip()
    meta = {"run": STAMP, "date": datetime.datetime.now().isoformat(timespec="seconds"), "commit": commit,
            "note": " ".join(x for x in (os.environ.get("NOTE", ""),
                                         f"baseline={BASELINE_JAR}" if BASELINE_JAR else "",
                                         f"baseline_config={BASELINE_CONFIG}" if BASELINE_CONFIG else "",
                                         f"manifold_config={MANIFOLD_CONFIG}" if MANIFOLD_CONFIG else "") if x),
            "load_before": " ".join(loadavg())}
    log(f"bench: run {STAMP} at {commit}; scratch {OUT}; load average {meta['load_before']}; {NCPU} cores")
    summaries, idle = {}, {}
    try:
        servers = start_servers(JAVA)
        log(f"bench: dynos on {servers['dyno_ports']}; targets {servers['urls']}")
        if SERVE:
            log(f"bench: serving for {SERVE} s (Manifold's JVM is pid {servers['proxy']['manifold'][0]}); "
                f"Ctrl-C stops everything")
            time.sleep(SERVE)
            return
        dynos = set(tree(servers["backend"]))
        for t in TARGETS[1:]:
            pids = [p for p in tree(servers["proxy"][t]) if p not in dynos]
            c0 = cpu_of(pids)
            time.sleep(3)
            idle[t] = (cpu_of(pids) - c0) / 3
        log("bench: idle CPU of each proxy (cores, no traffic): "
            + ", ".join(f"{t} {c:.3f}" for t, c in idle.items()))
        jvms = [t for t in TARGETS if t in ("manifold", "baseline", "nio-floor")]
        log(f"bench: warm-up: 3 s of wrk -c32 on each target, then {WARMUP} s on each JVM (JIT)")
        for t in TARGETS:
            subprocess.run(["wrk", "-t1", "-c32", "-d3s", "-H", f"Host: {HOST}", servers["urls"][t]], capture_output=True)
        for t in jvms:
            subprocess.run(["wrk", "-t1", "-c32", f"-d{WARMUP}s", "-H", f"Host: {HOST}", servers["urls"][t]],
                           capture_output=True)
            subprocess.run(command("rate", servers["urls"][t])[:-1] + ["5"], capture_output=True)
        for phase in PHASES:
            log(f"bench: phase {phase}")
            rows = {t: [] for t in TARGETS}
            for rep in range(1, REPS + 1):
                for t in TARGETS:
                    rows[t].append(run(f"{phase}-{t}-{rep}", phase, t, servers))
            summaries[phase] = summarise(phase, rows)
            log(table(phase, summaries[phase]))
    finally:
        stop_all()
        if summaries and len(summaries) < len(PHASES):
            # stopped part-way: the phases that finished are kept, and say so
            meta["note"] = (meta["note"] + " " if meta["note"] else "") + f"(stopped after phase {list(summaries)[-1]})"
            finish(meta, summaries, idle)
    finish(meta, summaries, idle)


def finish(meta, summaries, idle):
    meta["load_after"] = " ".join(loadavg())
    log(f"\nbench: load average before {meta['load_before']}, after {meta['load_after']}")
    meta["idle_cores"] = idle
    json.dump({"meta": meta, "summaries": summaries}, open(os.path.join(OUT, "summary.json"), "w"), indent=1)
    out = []
    for phase, s in summaries.items():
        out.append(table(phase, s))
    open(os.path.join(OUT, "table.md"), "w").write("\n".join(out) + "\n")
    write_csv(meta, summaries)
    log(f"bench: table in {OUT}/table.md, rows appended to {CSV}")


if __name__ == "__main__":
    main()
