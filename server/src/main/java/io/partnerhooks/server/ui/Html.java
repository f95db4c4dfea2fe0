package io.partnerhooks.server.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.Times;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The one way the dashboard puts a value into HTML. Every value that came from a partner, a
 * receiver, the database or the request goes through {@link #esc}; markup literals are written
 * in the page classes by hand. There is no script on any page, and the CSP forbids one.
 */
final class Html {
    private Html() {}

    /** Text or attribute value, escaped for both (quotes included); null is empty. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof Instant t ? Times.format(t) : value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A query-string value (then escaped again as an attribute by the caller through {@link #esc}). */
    static String q(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /*
     * Responsive without script (issue 17 item 6): the header wraps onto more lines, every table
     * scrolls inside its own box (display:block + overflow-x on the table itself, so pages written
     * anywhere get it; on a narrow screen ids and links in a cell keep to one line and the box
     * scrolls, on a wide one they break rather than widen the table), text
     * outside tables breaks anywhere it must, and form fields never grow past the screen.
     */
    static final String STYLE = """
            *,*::before,*::after{box-sizing:border-box}
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
            header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
            header a{color:#cfe0ff;text-decoration:none}header strong{margin-right:12px}
            header nav{display:flex;flex-wrap:wrap;gap:6px 16px}header form{margin-left:auto}
            main{padding:18px 20px;max-width:1400px;overflow-wrap:anywhere}
            table{border-collapse:collapse;background:#fff;margin:8px 0 18px;display:block;max-width:100%;overflow-x:auto}
            table>tbody{display:table;width:100%}
            th,td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:normal}
            td code{overflow-wrap:anywhere}.outcome,td time{white-space:nowrap}
            fieldset label{display:inline-block;max-width:100%;margin:0 12px 6px 0;vertical-align:top}
            th{background:#eef1f5;font-weight:600}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
            pre{background:#fff;border:1px solid #e3e6ea;padding:8px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all}
            .state-active,.ok{color:#107a3a;font-weight:600}.state-cooldown{color:#a86400;font-weight:600}
            .state-disabled,.bad{color:#b42318;font-weight:600}.muted{color:#667085}
            .outcome{font-weight:600}.outcome-delivered{color:#107a3a}.outcome-failed{color:#b42318}
            .outcome-pending{color:#a86400}.outcome-mixed{color:#6941c6}.outcome-superseded,.outcome-none{color:#667085}
            .field-error{color:#b42318;font-weight:600}.pager a{margin-right:14px}
            .flash{background:#e8f3ff;border:1px solid #9cc3f5;padding:8px 12px;margin:0 0 12px}
            .error{background:#fdecec;border:1px solid #f2a7a7;padding:8px 12px;margin:0 0 12px}
            form.inline{display:inline}fieldset{border:1px solid #d0d5dd;background:#fff;margin:10px 0;padding:10px;min-width:0}
            input,select,button,textarea{font:inherit;padding:4px 6px;max-width:100%}button{cursor:pointer}
            svg{max-width:100%;height:auto}img{max-width:100%}
            .cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #e3e6ea;padding:10px 14px;min-width:120px}
            .card b{display:block;font-size:20px}.attempt{border-left:4px solid #d0d5dd;padding-left:10px;margin:10px 0}
            .attempt.ok{border-color:#107a3a;color:inherit;font-weight:normal}.attempt.bad{border-color:#b42318;color:inherit;font-weight:normal}
            .scroll{overflow-x:auto;max-width:100%}.scroll table{margin:0}.field-error{color:#b42318;font-weight:600;display:block}
            .form-row{margin:8px 0}.form-row input[type=text],.form-row input:not([type]),.form-row textarea{max-width:100%;box-sizing:border-box}
            .types{display:flex;flex-wrap:wrap;gap:4px 18px}.types fieldset{margin:4px 0;min-width:0}.types label{display:block}
            .held{background:#fff8e6;border:1px solid #f0c36d;padding:6px 10px}code{word-break:break-all}
            .chartbox{overflow-x:auto;max-width:100%}h1,h2,h3,h4{overflow-wrap:anywhere}fieldset{min-width:0}
            input,select,textarea{max-width:100%;box-sizing:border-box}header{flex-wrap:wrap}
            @media (max-width:640px){header{padding:8px 12px}main{padding:12px}h1{font-size:22px}header form{margin-left:0}
            td code,td a{white-space:nowrap;overflow-wrap:normal}}
            """;

    /**
     * The BSP's name and colour for the pages (PARTNERHOOKS_UI_TITLE and PARTNERHOOKS_UI_ACCENT).
     * {@code accent} is null or was checked by Ui to be {@code #rgb}, {@code #rrggbb} or a
     * plain colour name, so it cannot leave the CSS declaration it is put into.
     */
    record Branding(String title, String accent) {
        static final Branding DEFAULT = new Branding("Partnerhooks", null);

        Branding {
            title = title == null || title.isBlank() ? "Partnerhooks" : title;
            if (accent != null && !accent.matches("#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]{3,12}")) {
                throw new IllegalArgumentException("not a colour: " + accent);
            }
        }

        String css() {
            return accent == null
                    ? ""
                    : "header{border-bottom:4px solid " + accent + "}header a{color:" + accent + "}main a{color:"
                            + accent + "}";
        }
    }

    /**
     * The branding of the dashboard serving this request, set by its handlers before they render:
     * one process may run several servers (tests do), each with its own branding.
     */
    private static final ThreadLocal<Branding> BRANDING = ThreadLocal.withInitial(() -> Branding.DEFAULT);

    static void brand(Branding b) {
        BRANDING.set(b == null ? Branding.DEFAULT : b);
    }

    /** The page frame: navigation for a signed-in user (or none), a flash line, the body. */
    static String page(String title, UiSessions.Session s, String body) {
        Branding brand = BRANDING.get();
        StringBuilder sb = new StringBuilder(4096 + body.length());
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append(" · ")
                .append(esc(brand.title()))
                .append("</title><style>")
                .append(STYLE)
                .append(brand.css())
                .append("</style></head><body><header><strong id=\"brand\">")
                .append(esc(brand.title()))
                .append("</strong>");
        if (s != null) {
            sb.append("<nav id=\"nav\" aria-label=\"dashboard\">");
            if (s.partner() != null) {
                sb.append("<a href=\"/ui/endpoints\">Endpoints</a><a href=\"/ui/events\">Event log</a>")
                        .append("<a href=\"/ui/channels\">Channels</a><a href=\"/ui/workspaces\">Workspaces</a>")
                        .append("<a href=\"/ui/thresholds\">Thresholds</a>");
            }
            sb.append("<a href=\"/ui/catalog\">Event catalog</a><a href=\"/ui/audit\">Audit log</a>");
            if (s.operator()) {
                sb.append("<a href=\"/ui/partners\">Partners</a>");
            }
            sb.append("</nav>");
            sb.append("<span class=\"muted\" id=\"who\">")
                    .append(esc(
                            s.operator()
                                    ? "operator" + (s.partnerName() == null ? "" : " · viewing " + s.partnerName())
                                    : s.partnerName()))
                    .append(s.readOnly() ? " · read-only" : "")
                    .append("</span><form method=\"post\" action=\"/ui/logout\">")
                    .append(csrf(s))
                    .append("<button type=\"submit\">Sign out</button></form>");
        }
        sb.append("</header><main><h1>").append(esc(title)).append("</h1>");
        if (s != null) {
            String flash = s.takeFlash();
            if (flash != null) {
                sb.append(
                                flash.startsWith("!")
                                        ? "<div class=\"error\" role=\"alert\">" + esc(flash.substring(1))
                                        : "<div class=\"flash\" role=\"status\">" + esc(flash))
                        .append("</div>");
            }
        }
        sb.append(body).append("</main></body></html>");
        return sb.toString();
    }

    /** The hidden field every POST form carries. */
    static String csrf(UiSessions.Session s) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf()) + "\">";
    }

    /** A one-button POST form. */
    static String button(UiSessions.Session s, String action, String label, String extraFields) {
        return "<form class=\"inline\" method=\"post\" action=\"" + esc(action) + "\">" + csrf(s) + extraFields
                + "<button type=\"submit\">" + esc(label) + "</button></form>";
    }

    /**
     * A time for a person: "3 min ago" (or "in 2 h" for one still to come), the exact time on
     * hover; null is empty.
     */
    static String relative(Instant now, Instant t) {
        if (t == null) {
            return "";
        }
        long secs = Duration.between(t, now).getSeconds();
        boolean future = secs < 0;
        long a = Math.abs(secs);
        String span = a < 10
                ? null
                : a < 60 ? a + " s" : a < 3600 ? a / 60 + " min" : a < 86_400 ? a / 3600 + " h" : a / 86_400 + " d";
        String text = span == null ? "just now" : future ? "in " + span : span + " ago";
        return "<time datetime=\"" + esc(t) + "\" title=\"" + esc(t) + "\">" + esc(text) + "</time>";
    }

    static String pre(String text) {
        return "<pre>" + esc(text) + "</pre>";
    }

    /**
     * A relative time ("3 min ago", "in 2 h") with the exact time in {@code title}; "–" for null.
     * {@code now} is the caller's clock: pages never read the system time themselves.
     */
    static String ago(Instant now, Instant t) {
        if (t == null) {
            return "–";
        }
        long secs = Duration.between(t, now).getSeconds();
        boolean future = secs < 0;
        long a = Math.abs(secs);
        String span = a == 0
                ? null
                : a < 60 ? a + " s" : a < 3600 ? a / 60 + " min" : a < 86_400 ? a / 3600 + " h" : a / 86_400 + " d";
        String text = span == null ? "just now" : future ? "in " + span : span + " ago";
        return "<time datetime=\"" + esc(t) + "\" title=\"" + esc(t) + "\">" + esc(text) + "</time>";
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON pretty-printed on the server (anything that is not JSON comes back as it was); not escaped yet. */
    static String prettyJson(String raw) {
        if (raw == null) {
            return "";
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(raw));
        } catch (JsonProcessingException | RuntimeException e) {
            return raw;
        }
    }

    /** Bodies longer than this many lines are folded into a {@code <details>}: a wall of JSON hides the rest of the page. */
    static final int FOLD_LINES = 12;

    /** A body, pretty-printed and escaped, shown in a {@code <pre>}; folded under {@code summary} when long. */
    static String body(String summary, String raw) {
        String pretty = prettyJson(raw);
        long lines = pretty.lines().count();
        if (lines <= FOLD_LINES && pretty.length() <= 1500) {
            return "<p class=\"muted\">" + esc(summary) + "</p>" + pre(pretty);
        }
        return "<details class=\"fold\"><summary>" + esc(summary) + " (" + esc(lines) + " lines)</summary>"
                + pre(pretty) + "</details>";
    }
}
