import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Gathers the phases' JSON into one results file (figures as median, min, max with their
 * ceilings and ratios, plus the machine), checks that every figure is there, and when asked
 * rewrites docs/performance.md and its charts from it. With {@code --from results.json --docs dir}
 * it only re-renders the docs from an earlier results file.
 */
public final class Report {
    static final ObjectMapper JSON = new ObjectMapper();

    /** figure key, label, unit, ceiling key, higher is better. */
    record Fig(String key, String label, String unit, String ceiling, boolean higherBetter) {}

    static final List<Fig> FIGS = List.of(
            new Fig("accepted_1", "Events accepted/s (durable, 202), 1 matching endpoint", "/s", "ceiling_http", true),
            new Fig("accepted_10", "Events accepted/s (durable, 202), 10 matching endpoints", "/s", "ceiling_http", true),
            new Fig("e2e_deliveries", "End-to-end deliveries/s (10 endpoints)", "/s", "ceiling_http", true),
            new Fig("latency_p50", "Publish→receipt p50 at 1,000 events/s", "ms", "ceiling_latency_p50", false),
            new Fig("latency_p99", "Publish→receipt p99 at 1,000 events/s", "ms", "ceiling_latency_p99", false),
            new Fig("latency_max", "Publish→receipt max at 1,000 events/s", "ms", "ceiling_latency_max", false),
            new Fig("isolation_e2e_deliveries", "Healthy deliveries/s while 100 endpoints hang", "/s", "e2e_deliveries", true),
            new Fig("isolation_latency_p99", "Healthy p99 at 1,000 events/s while 100 endpoints hang", "ms", "latency_p99", false),
            new Fig("usage_updates", "Usage counter updates/s (POST /platform/v1/usage)", "/s", "ceiling_http", true),
            new Fig("meta_callbacks", "Meta callbacks accepted/s (POST /meta/webhook)", "/s", "ceiling_http", true),
            new Fig("batch_events", "Events accepted/s by batch publish (100 a request), 1 endpoint", "/s", "ceiling_db_insert", true),
            new Fig("open_4000", "Publish→receipt p99, one endpoint (max_in_flight 100) at 4,000 events/s", "ms", "ceiling_latency_p99", false),
            new Fig("meta_open", "Meta callback answer p99 at 1,000/s, relayed to a 50 ms webhook", "ms", "ceiling_latency_p99", false),
            new Fig("unordered_1000_keys", "Deliveries/s, one endpoint (max_in_flight 100), events of 1,000 keys", "/s", "ceiling_http", true),
            new Fig("ordered_1000_keys", "Deliveries/s, the same to an ordered endpoint", "/s", "unordered_1000_keys", true),
            new Fig("ordered_1_key", "Deliveries/s, an ordered endpoint, every event of one key", "/s", "unordered_1000_keys", true));

    /** Series measured in open loop: one row per round in the rounds table. */
    static final List<String> ROUND_SERIES = List.of("latency", "isolation_latency", "open_4000", "meta_open");

    /** Phases whose samples carry a per-delivery cost block. */
    static final List<String> COST_SERIES = List.of("e2e_deliveries", "latency", "open_4000", "batch_events", "meta_open");

    /** Whether a figure is absent on purpose: its route is not in the measured build, or the mode leaves it out. */
    static boolean notServed(String key, JsonNode main) {
        return (key.startsWith("meta_") && main.has("meta")) || (key.startsWith("batch_") && main.has("batch"));
    }

    static final List<Fig> CEILINGS = List.of(
            new Fig("ceiling_http", "Raw HTTP POSTs/s, load tool → receiver", "/s", null, true),
            new Fig("ceiling_db_insert", "Raw multi-row inserts/s of the event row (50 rows a commit)", "rows/s", null, true),
            new Fig("ceiling_latency_p50", "Raw POST round trip p50 at 1,000/s", "ms", null, false),
            new Fig("ceiling_latency_p99", "Raw POST round trip p99 at 1,000/s", "ms", null, false),
            new Fig("ceiling_latency_max", "Raw POST round trip max at 1,000/s", "ms", null, false));

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (opt.containsKey("from")) {
            // re-render the docs from a results file (after the notes changed, say)
            Path from = Path.of(opt.get("from"));
            JsonNode result = JSON.readTree(from.toFile());
            Path docs = Path.of(opt.get("docs"));
            drawBacklog(result, docs.resolve("performance-backlog.png"));
            drawLatency(result, docs.resolve("performance-latency.png"));
            Path notes = docs.toAbsolutePath().getParent().resolve("bench/performance-notes.md");
            Files.writeString(docs.resolve("performance.md"), markdown(result, from.getFileName().toString(), notes));
            return;
        }
        Path dir = Path.of(opt.get("dir"));
        ObjectNode result = JSON.createObjectNode();
        result.put("mode", opt.get("mode"));
        result.put("started", opt.get("started"));
        result.put("elapsed_s", Long.parseLong(opt.get("elapsed")));
        result.set("machine", machine(opt.get("pg-version")));
        List<String> problems = new ArrayList<>();
        ObjectNode dialects = result.putObject("dialects");
        for (String d : opt.get("dialects").trim().split("\\s+")) {
            JsonNode main = JSON.readTree(dir.resolve(d + "-main.json").toFile());
            JsonNode backlog = JSON.readTree(dir.resolve(d + "-backlog.json").toFile());
            ObjectNode out = dialects.putObject(d);
            ObjectNode figures = out.putObject("figures");
            JsonNode samples = main.get("samples");
            samples.fields().forEachRemaining(e -> {
                String k = e.getKey();
                if (k.equals("latency") || k.equals("ceiling_latency") || k.equals("isolation_latency")) {
                    for (String p : List.of("p50", "p99", "max")) {
                        figures.set(k + "_" + p, stats(e.getValue(), p + "_ms"));
                    }
                } else {
                    figures.set(k, stats(e.getValue(), "value"));
                }
            });
            for (Fig f : FIGS) {
                JsonNode v = figures.get(f.key());
                JsonNode c = f.ceiling() == null ? null : figures.get(f.ceiling());
                if (v != null && c != null && c.get("median").asDouble() > 0) {
                    ((ObjectNode) v).put("ceiling", f.ceiling());
                    ((ObjectNode) v).put("ratio", Math.round(v.get("median").asDouble() / c.get("median").asDouble() * 1000) / 1000.0);
                }
                boolean skipped = notServed(f.key(), main)
                        || f.key().startsWith("isolation") && opt.get("mode").equals("smoke");
                if (v == null && !skipped) {
                    problems.add(d + ": no figure " + f.key());
                } else if (v != null && v.get("median").asDouble() <= 0) {
                    problems.add(d + ": figure " + f.key() + " is " + v.get("median"));
                }
            }
            if (figures.has("accepted_1") && figures.has("ceiling_db_insert")) {
                ((ObjectNode) figures.get("accepted_1")).put("ratio_db",
                        ratio(figures.get("accepted_1"), figures.get("ceiling_db_insert")));
                ((ObjectNode) figures.get("accepted_10")).put("ratio_db",
                        ratio(figures.get("accepted_10"), figures.get("ceiling_db_insert")));
            }
            if (main.has("meta")) {
                out.put("meta", main.get("meta").asText());
            }
            if (main.has("batch")) {
                out.put("batch", main.get("batch").asText());
            }
            out.set("samples", samples);
            out.set("latency_histogram", main.get("latency_histogram"));
            out.set("ceiling_latency_histogram", main.get("ceiling_latency_histogram"));
            out.set("backlog", backlog);
            if (backlog.get("delivered").asLong() < backlog.get("backlog").asLong()) {
                problems.add(d + ": backlog not drained (" + backlog.get("delivered") + " of " + backlog.get("backlog") + ")");
            }
        }
        Path out = Path.of(opt.get("out"));
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println(table(result, null));
        System.out.println(roundsTable(result));
        System.out.println(costTable(result));
        if (opt.containsKey("docs")) {
            Path docs = Path.of(opt.get("docs"));
            drawBacklog(result, docs.resolve("performance-backlog.png"));
            drawLatency(result, docs.resolve("performance-latency.png"));
            // hand-written notes (what limits each figure, with the profile that shows it) are kept beside the harness
            Path notes = docs.toAbsolutePath().getParent().resolve("bench/performance-notes.md");
            Files.writeString(docs.resolve("performance.md"), markdown(result, out.getFileName().toString(), notes));
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("[bench] PROBLEM: " + p));
            System.exit(1);
        }
    }

    static double ratio(JsonNode v, JsonNode c) {
        return Math.round(v.get("median").asDouble() / c.get("median").asDouble() * 1000) / 1000.0;
    }

    static ObjectNode stats(JsonNode samples, String field) {
        List<Double> xs = new ArrayList<>();
        double load = 0;
        for (JsonNode s : samples) {
            xs.add(s.get(field).asDouble());
            load = Math.max(load, s.path("load_cores").asDouble());
        }
        xs.sort(Double::compare);
        ObjectNode o = JSON.createObjectNode();
        int n = xs.size();
        double med = n % 2 == 1 ? xs.get(n / 2) : (xs.get(n / 2 - 1) + xs.get(n / 2)) / 2;
        o.put("median", round(med));
        o.put("min", round(xs.get(0)));
        o.put("max", round(xs.get(n - 1)));
        o.put("runs", n);
        o.put("max_background_load_cores", load);
        return o;
    }

    static double round(double v) {
        return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100.0;
    }

    static ObjectNode machine(String pgVersion) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        String cpu = "?";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        m.put("cpu", cpu);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                m.put("memory_gib", Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0);
            }
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("postgresql", pgVersion);
        return m;
    }

    static String fmt(double v, String unit) {
        if (unit.equals("ms")) {
            return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String cell(JsonNode f, String unit) {
        if (f == null) {
            return "–";
        }
        return fmt(f.get("median").asDouble(), unit) + " (" + fmt(f.get("min").asDouble(), unit) + "–"
                + fmt(f.get("max").asDouble(), unit) + ")";
    }

    /** The figures table, one column pair per dialect. */
    static String table(JsonNode result, String unused) {
        StringBuilder sb = new StringBuilder();
        List<String> ds = new ArrayList<>();
        result.get("dialects").fieldNames().forEachRemaining(ds::add);
        sb.append("| figure |");
        for (String d : ds) {
            sb.append(" ").append(d).append(": median (min–max) | ceiling | ratio |");
        }
        sb.append("\n|---|");
        sb.append("---|---|---|".repeat(ds.size())).append('\n');
        for (Fig f : FIGS) {
            sb.append("| ").append(f.label()).append(" (").append(f.unit()).append(") |");
            for (String d : ds) {
                JsonNode figs = result.get("dialects").get(d).get("figures");
                JsonNode v = figs.get(f.key());
                if (v == null && notServed(f.key(), result.get("dialects").get(d))) {
                    sb.append(" not served by this build | | |");
                    continue;
                }
                JsonNode c = f.ceiling() == null ? null : figs.get(f.ceiling());
                sb.append(' ').append(cell(v, f.unit())).append(" | ");
                sb.append(c == null ? "" : fmt(c.get("median").asDouble(), f.unit()));
                if (f.key().startsWith("accepted") && figs.has("ceiling_db_insert")) {
                    sb.append(" HTTP; ").append(fmt(figs.get("ceiling_db_insert").get("median").asDouble(), "")).append(" DB rows");
                }
                sb.append(" | ");
                if (v != null && v.has("ratio")) {
                    sb.append(String.format(Locale.ROOT, "%.2f", v.get("ratio").asDouble()));
                    if (v.has("ratio_db")) {
                        sb.append(String.format(Locale.ROOT, " / %.3f", v.get("ratio_db").asDouble()));
                    }
                }
                sb.append(" |");
            }
            sb.append('\n');
        }
        for (Fig f : CEILINGS) {
            sb.append("| *ceiling:* ").append(f.label()).append(" (").append(f.unit()).append(") |");
            for (String d : ds) {
                sb.append(' ').append(cell(result.get("dialects").get(d).get("figures").get(f.key()), f.unit()))
                        .append(" | | |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One row per round of every open-loop series. */
    static String roundsTable(JsonNode result) {
        StringBuilder sb = new StringBuilder("| database | figure | round | offered/s | p50 ms | p99 ms | max ms | arrived | kept up / over 1 s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        result.get("dialects").fields().forEachRemaining(e -> {
            JsonNode samples = e.getValue().get("samples");
            for (String name : ROUND_SERIES) {
                JsonNode series = samples.get(name);
                if (series == null) {
                    continue;
                }
                int i = 0;
                for (JsonNode s : series) {
                    i++;
                    String arrived = s.has("received") ? s.get("received").asText() + " of " + s.path("sent").asText("?")
                            : s.has("relayed") ? s.get("relayed").asText() + " relayed" : "–";
                    String verdict = s.has("kept_up") ? (s.get("kept_up").asBoolean() ? "kept up" : "fell behind")
                            : s.has("over_1s") ? s.get("over_1s").asText() + " over 1 s" : "–";
                    sb.append("| ").append(e.getKey()).append(" | ").append(name).append(" | ").append(i).append(" | ")
                            .append(s.path("offered_per_s").asText("–")).append(" | ")
                            .append(ms(s, "p50_ms")).append(" | ").append(ms(s, "p99_ms")).append(" | ").append(ms(s, "max_ms"))
                            .append(" | ").append(arrived).append(" | ").append(verdict).append(" |\n");
                }
            }
        });
        return sb.toString();
    }

    static String ms(JsonNode s, String field) {
        return s.has(field) ? fmt(s.get(field).asDouble(), "ms") : "–";
    }

    static final List<String[]> COSTS = List.of(
            new String[] {"server_cpu_ms_per_delivery", "server CPU ms"},
            new String[] {"db_cpu_ms_per_delivery", "database CPU ms"},
            new String[] {"sql_statements_per_delivery", "SQL statements"},
            new String[] {"row_writes_per_delivery", "row writes"},
            new String[] {"hot_updates_per_delivery", "of them HOT"},
            new String[] {"wal_bytes_per_delivery", "WAL bytes"});

    /** Per-delivery costs of each measured phase, median over its rounds. */
    static String costTable(JsonNode result) {
        StringBuilder sb = new StringBuilder("| database | phase |");
        for (String[] c : COSTS) {
            sb.append(' ').append(c[1]).append(" |");
        }
        sb.append("\n|---|---|").append("---|".repeat(COSTS.size())).append('\n');
        result.get("dialects").fields().forEachRemaining(e -> {
            JsonNode samples = e.getValue().get("samples");
            for (String name : COST_SERIES) {
                JsonNode series = samples.get(name);
                if (series == null || !series.elements().hasNext() || !series.elements().next().has("cost")) {
                    continue;
                }
                sb.append("| ").append(e.getKey()).append(" | ").append(name).append(" |");
                for (String[] c : COSTS) {
                    List<Double> xs = new ArrayList<>();
                    for (JsonNode s : series) {
                        JsonNode v = s.path("cost").get(c[0]);
                        if (v != null && v.isNumber()) {
                            xs.add(v.asDouble());
                        }
                    }
                    if (xs.isEmpty()) {
                        sb.append(" – |");
                        continue;
                    }
                    xs.sort(Double::compare);
                    int n = xs.size();
                    double med = n % 2 == 1 ? xs.get(n / 2) : (xs.get(n / 2 - 1) + xs.get(n / 2)) / 2;
                    sb.append(' ').append(String.format(Locale.ROOT, med >= 100 ? "%,.0f" : "%.3f", med)).append(" |");
                }
                sb.append('\n');
            }
        });
        return sb.toString();
    }

    static String backlogTable(JsonNode result) {
        StringBuilder sb = new StringBuilder("| backlog | due deliveries | drained in | overall | early (5–25 %) | late (75–95 %) | late / early | peak RSS | peak heap (before GC) | heap after GC (max) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        result.get("dialects").fields().forEachRemaining(e -> {
            JsonNode b = e.getValue().get("backlog");
            double early = b.get("rate_early").asDouble();
            double late = b.get("rate_late").asDouble();
            long delivered = b.get("delivered").asLong();
            boolean drained = delivered >= b.get("backlog").asLong();
            // a backlog that stopped short has no late rate and no drain time worth printing
            String drainedIn = drained ? b.get("drain_s").asText() + " s"
                    : "**not drained**: " + fmt(delivered, "") + " delivered, then none";
            sb.append("| ").append(e.getKey()).append(" | ").append(fmt(b.get("backlog").asDouble(), ""))
                    .append(" | ").append(drainedIn).append(" | ")
                    .append(drained ? fmt(b.get("rate_overall").asDouble(), "") + "/s" : "–").append(" | ")
                    .append(fmt(early, "")).append("/s | ").append(drained && late >= 0 ? fmt(late, "") + "/s" : "–").append(" | ")
                    .append(drained && early > 0 ? String.format(Locale.ROOT, "%.2f", late / early) : "–").append(" | ")
                    .append(b.get("peak_rss_mib").asText()).append(" MiB | ")
                    .append(b.get("peak_heap_mib").asText()).append(" MiB | ")
                    .append(b.get("peak_heap_after_gc_mib").asText()).append(" MiB |\n");
        });
        return sb.toString();
    }

    static String markdown(JsonNode r, String jsonName, Path notes) {
        JsonNode m = r.get("machine");
        StringBuilder sb = new StringBuilder();
        sb.append("# Performance\n\n");
        sb.append("Generated by `bench/run");
        sb.append(r.get("mode").asText().equals("full") ? "" : " --" + r.get("mode").asText());
        sb.append("` from `bench/results/").append(jsonName).append("`; do not edit by hand (see bench/README.md for what\n");
        sb.append("each figure means and how the ceilings are measured).\n\n");
        sb.append("- Run: ").append(r.get("started").asText()).append(", ").append(r.get("mode").asText())
                .append(" mode, ").append(r.get("elapsed_s").asLong() / 60).append(" min\n");
        sb.append("- Machine: ").append(m.get("cpu").asText()).append(", ").append(m.get("cores").asInt())
                .append(" cores, ").append(m.get("memory_gib").asText()).append(" GiB; ").append(m.get("os").asText()).append('\n');
        sb.append("- JDK: ").append(m.get("jdk").asText()).append("; ").append(m.get("postgresql").asText()).append('\n');
        sb.append("- Every process shares the 2 cores: server, database, receiver and load generator.\n\n");
        sb.append("## Figures\n\n");
        sb.append("Median of the runs with the range in brackets. The ratio is the figure over its ceiling, measured the\n");
        sb.append("same way in the same run: for rates higher is better (1.0 = as fast as the raw path), for latency it is\n");
        sb.append("ours over the raw round trip and lower is better. For accepted events the second ratio is\n");
        sb.append("against the database's raw insert rate. Isolation rows are compared with the same figure without the\n");
        sb.append("hanging endpoints.\n\n");
        sb.append(table(r, null)).append('\n');
        sb.append("## Open-loop rounds\n\n");
        sb.append("Each round of the open-loop figures on its own (the table above gives their median): whether the\n");
        sb.append("server kept up with the offered rate, and the answer times Meta would see.\n\n");
        sb.append(roundsTable(r)).append('\n');
        sb.append("## Cost per delivery\n\n");
        sb.append("Median over the rounds of each phase, divided by the deliveries (or relays) that phase produced:\n");
        sb.append("CPU time of the server process and, on PostgreSQL, of the database cluster (from /proc), SQL\n");
        sb.append("statements (pg_stat_statements), row writes and HOT updates (pg_stat_user_tables) and WAL bytes.\n");
        sb.append("SQLite runs inside the server, so its CPU is in the server's column.\n\n");
        sb.append(costTable(r)).append('\n');
        sb.append("## Backlog drain\n\n");
        sb.append(backlogTable(r)).append('\n');
        sb.append("![Deliveries per second while the backlog drains](performance-backlog.png)\n\n");
        sb.append("![Publish→receipt latency at 1,000 events/s, and the raw round trip](performance-latency.png)\n\n");
        sb.append("The latency chart shows the last round's distribution of each database; the table has all rounds.\n\n");
        sb.append("## Background load\n\n");
        sb.append("Before each run the harness waits until the machine uses under 0.15 cores, for at most the mode's\n");
        sb.append("cap; when the cap passes it runs anyway and records what it saw. Most load seen before a run:\n\n");
        r.get("dialects").fields().forEachRemaining(e -> {
            double worst = 0;
            int noisy = 0;
            int runs = 0;
            for (JsonNode series : e.getValue().get("samples")) {
                for (JsonNode s : series) {
                    runs++;
                    worst = Math.max(worst, s.path("load_cores").asDouble());
                    if (!s.path("quiet").asBoolean(true)) {
                        noisy++;
                    }
                }
            }
            sb.append("- ").append(e.getKey()).append(": ").append(noisy).append(" of ").append(runs)
                    .append(" runs started on a busy machine; the busiest at ")
                    .append(String.format(Locale.ROOT, "%.2f", worst)).append(" cores in use.\n");
        });
        if (notes != null && Files.exists(notes)) {
            try {
                sb.append('\n').append(Files.readString(notes));
            } catch (IOException e) {
                // no notes
            }
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- charts

    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    static void axes(Graphics2D g, int x0, int y0, int w, int h, double xMax, double yMax, String xLabel, String yLabel,
            String title) {
        g.setColor(Color.BLACK);
        g.drawLine(x0, y0, x0 + w, y0);
        g.drawLine(x0, y0, x0, y0 - h);
        for (int i = 0; i <= 5; i++) {
            int y = y0 - h * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, x0 + w, y);
            g.setColor(Color.BLACK);
            String s = String.format(Locale.ROOT, "%,.0f", yMax * i / 5);
            g.drawString(s, x0 - 8 - g.getFontMetrics().stringWidth(s), y + 4);
            int x = x0 + w * i / 5;
            String t = String.format(Locale.ROOT, "%,.0f", xMax * i / 5);
            g.drawString(t, x - g.getFontMetrics().stringWidth(t) / 2, y0 + 16);
        }
        g.drawString(xLabel, x0 + w / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, y0 + 34);
        g.drawString(yLabel, 10, y0 - h - 12);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        g.drawString(title, x0, 22);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
    }

    static void drawBacklog(JsonNode r, Path file) throws IOException {
        BufferedImage img = new BufferedImage(900, 420, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double xMax = 1;
        double yMax = 1;
        for (JsonNode d : r.get("dialects")) {
            for (JsonNode p : d.get("backlog").get("series")) {
                xMax = Math.max(xMax, p.get("t_s").asDouble());
                yMax = Math.max(yMax, p.get("per_s").asDouble());
            }
        }
        yMax = niceCeil(yMax);
        xMax = niceCeil(xMax);
        int x0 = 80;
        int y0 = 360;
        int w = 780;
        int h = 300;
        axes(g, x0, y0, w, h, xMax, yMax, "seconds since the server started on the backlog", "deliveries/s",
                "Backlog drain: " + String.format(Locale.ROOT, "%,d", r.get("dialects").elements().next().get("backlog")
                        .get("backlog").asLong()) + " due deliveries");
        int i = 0;
        for (var it = r.get("dialects").fields(); it.hasNext(); i++) {
            var e = it.next();
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (JsonNode p : e.getValue().get("backlog").get("series")) {
                int x = x0 + (int) (w * p.get("t_s").asDouble() / xMax);
                int y = y0 - (int) (h * p.get("per_s").asDouble() / yMax);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(x0 + w - 150, 40 + i * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), x0 + w - 132, 50 + i * 18);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    static void drawLatency(JsonNode r, Path file) throws IOException {
        BufferedImage img = new BufferedImage(900, 420, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        List<String> names = new ArrayList<>();
        List<JsonNode> hists = new ArrayList<>();
        r.get("dialects").fields().forEachRemaining(e -> {
            if (e.getValue().hasNonNull("latency_histogram")) {
                names.add(e.getKey() + ": publish→receipt");
                hists.add(e.getValue().get("latency_histogram"));
            }
        });
        JsonNode first = r.get("dialects").elements().next();
        if (first.hasNonNull("ceiling_latency_histogram")) {
            names.add("ceiling: raw POST round trip");
            hists.add(first.get("ceiling_latency_histogram"));
        }
        List<String> buckets = new ArrayList<>();
        if (!hists.isEmpty()) {
            hists.get(0).fieldNames().forEachRemaining(buckets::add);
        }
        double yMax = 1;
        for (JsonNode h : hists) {
            double total = 0;
            for (JsonNode c : h) {
                total += c.asDouble();
            }
            for (JsonNode c : h) {
                yMax = Math.max(yMax, 100 * c.asDouble() / Math.max(1, total));
            }
        }
        yMax = Math.min(100, niceCeil(yMax));
        int x0 = 80;
        int y0 = 360;
        int w = 780;
        int h = 300;
        g.setColor(Color.BLACK);
        g.drawLine(x0, y0, x0 + w, y0);
        g.drawLine(x0, y0, x0, y0 - h);
        for (int i = 0; i <= 5; i++) {
            int y = y0 - h * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, x0 + w, y);
            g.setColor(Color.BLACK);
            String s = String.format(Locale.ROOT, "%.0f %%", yMax * i / 5);
            g.drawString(s, x0 - 8 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        g.drawString("Latency at 1,000 events/s: share of events per bucket (upper bound, ms)", x0, 22);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 11f));
        int slot = buckets.isEmpty() ? w : w / buckets.size();
        int bar = Math.max(2, (slot - 4) / Math.max(1, hists.size()));
        for (int b = 0; b < buckets.size(); b++) {
            String label = buckets.get(b).replace(".0", "");
            g.setColor(Color.BLACK);
            g.drawString("≤" + label, x0 + b * slot + 2, y0 + 14);
            for (int k = 0; k < hists.size(); k++) {
                double total = 0;
                for (JsonNode c : hists.get(k)) {
                    total += c.asDouble();
                }
                double share = 100 * hists.get(k).get(buckets.get(b)).asDouble() / Math.max(1, total);
                int bh = (int) (h * Math.min(share, yMax) / yMax);
                g.setColor(COLORS[k % COLORS.length]);
                g.fillRect(x0 + b * slot + 2 + k * bar, y0 - bh, bar - 1, bh);
            }
        }
        for (int k = 0; k < names.size(); k++) {
            g.setColor(COLORS[k % COLORS.length]);
            g.fillRect(x0 + w - 260, 40 + k * 18, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names.get(k), x0 + w - 242, 50 + k * 18);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
