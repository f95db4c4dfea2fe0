package io.partnerhooks.server.ui;

import static io.partnerhooks.server.ui.Html.esc;

import io.partnerhooks.core.domain.AttemptSample;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Attempt volume over a time window as inline SVG (no script, no external file): the window is cut
 * into equal buckets, each a bar of its successes (green, at the bottom) with its failures (red)
 * stacked on top, under a time axis in UTC. Drawn from the endpoint's attempts in the window, read
 * from the store, never from whatever page of deliveries happens to be on screen.
 */
final class Charts {
    static final String OK = "#2e9e5b";
    static final String BAD = "#d64545";
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Charts() {}

    /** Counts per bucket; index 0 is the oldest bucket. */
    record Buckets(Instant start, Duration width, int[] ok, int[] failed) {
        int total() {
            int n = 0;
            for (int i = 0; i < ok.length; i++) {
                n += ok[i] + failed[i];
            }
            return n;
        }

        int failures() {
            int n = 0;
            for (int f : failed) {
                n += f;
            }
            return n;
        }

        int tallest() {
            int m = 0;
            for (int i = 0; i < ok.length; i++) {
                m = Math.max(m, ok[i] + failed[i]);
            }
            return m;
        }
    }

    /** Sorts attempts into {@code count} buckets covering {@code [end - window, end]}; attempts outside are left out. */
    static Buckets bucket(List<AttemptSample> attempts, Instant end, Duration window, int count) {
        Instant start = end.minus(window);
        Duration width = window.dividedBy(count);
        int[] ok = new int[count];
        int[] failed = new int[count];
        for (AttemptSample a : attempts) {
            if (a.attemptedAt() == null
                    || a.attemptedAt().isBefore(start)
                    || a.attemptedAt().isAfter(end)) {
                continue;
            }
            int i = (int)
                    Math.min(count - 1, Duration.between(start, a.attemptedAt()).toMillis() / width.toMillis());
            if (a.success()) {
                ok[i]++;
            } else {
                failed[i]++;
            }
        }
        return new Buckets(start, width, ok, failed);
    }

    /** The endpoint page's chart: 96 quarter-hours over 24 h with an hour axis. */
    static String volume(String id, Buckets b, int width, int height, int ticks) {
        int axis = ticks > 0 ? 18 : 0;
        int total = b.total();
        int failures = b.failures();
        String summary = total == 0
                ? "no attempts in the window"
                : total + " attempts, " + (total - failures) + " succeeded, " + failures + " failed";
        StringBuilder sb = new StringBuilder("<svg class=\"chart\" id=\"")
                .append(esc(id))
                .append("\" role=\"img\"")
                .append(" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height + axis)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height + axis)
                .append("\" preserveAspectRatio=\"none\" data-attempts=\"")
                .append(total)
                .append("\" data-failed=\"")
                .append(failures)
                .append("\"><title>")
                .append(esc(summary))
                .append("</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" fill=\"#fff\" stroke=\"#e3e6ea\"/>");
        int n = b.ok().length;
        double bw = (double) width / n;
        int max = Math.max(1, b.tallest());
        for (int i = 0; i < n; i++) {
            int ok = b.ok()[i];
            int bad = b.failed()[i];
            if (ok + bad == 0) {
                continue;
            }
            Instant from = b.start().plus(b.width().multipliedBy(i));
            String tip = HOUR.format(from) + "–" + HOUR.format(from.plus(b.width())) + " UTC · " + ok + " ok · " + bad
                    + " failed";
            double hOk = (height - 4) * (double) ok / max;
            double hBad = (height - 4) * (double) bad / max;
            double x = i * bw + 0.5;
            double w = Math.max(1, bw - 1);
            sb.append("<g><title>").append(esc(tip)).append("</title>");
            if (ok > 0) {
                sb.append(rect(x, height - hOk, w, Math.max(1, hOk), OK, "ok"));
            }
            if (bad > 0) {
                sb.append(rect(x, height - hOk - hBad, w, Math.max(1, hBad), BAD, "failed"));
            }
            sb.append("</g>");
        }
        if (ticks > 0) {
            for (int t = 0; t <= ticks; t++) {
                double x = (double) width * t / ticks;
                Instant at = b.start().plus(b.width().multipliedBy((long) n * t / ticks));
                String anchor = t == 0 ? "start" : t == ticks ? "end" : "middle";
                sb.append(String.format(
                                Locale.ROOT,
                                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#98a2b3\"/>",
                                x,
                                height,
                                x,
                                height + 4))
                        .append(String.format(
                                Locale.ROOT,
                                "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#667085\"" + " text-anchor=\"%s\">",
                                x,
                                height + 15,
                                anchor))
                        .append(esc(t == ticks ? "now" : HOUR.format(at)))
                        .append("</text>");
            }
        }
        if (total == 0) {
            sb.append("<text x=\"")
                    .append(width / 2)
                    .append("\" y=\"")
                    .append(height / 2 + 4)
                    .append("\" font-size=\"12\" fill=\"#667085\" text-anchor=\"middle\">no attempts</text>");
        }
        return sb.append("</svg>").toString();
    }

    private static String rect(double x, double y, double w, double h, String fill, String cls) {
        return String.format(
                Locale.ROOT,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                cls,
                x,
                y,
                w,
                h,
                fill);
    }
}
