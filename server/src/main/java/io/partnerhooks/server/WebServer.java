package io.partnerhooks.server;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.server.api.ProblemErrorHandler;
import io.partnerhooks.server.api.Problems;
import io.partnerhooks.server.api.QueryParameters;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The HTTP server around the routes: Jetty's limits and timeouts, request metrics, problem+json
 * for every error, the JSON body and query-parameter checks that run before any route.
 */
final class WebServer {
    private WebServer() {}

    /**
     * @param routes filled with every route as "METHOD /path" as it is added
     * @param notFound answers a 404 under {@code /ui} (the dashboard's own page)
     * @param register adds the routes (the API's route groups and the dashboard)
     */
    static Javalin create(
            Config config,
            Metrics metrics,
            List<String> routes,
            Consumer<Context> notFound,
            Consumer<RoutesConfig> register) {
        return Javalin.create(cfg -> {
            cfg.events.handlerAdded(h -> {
                String method = h.getHttpMethod().name();
                if (!method.equals("BEFORE")
                        && !method.equals("AFTER")
                        && !method.startsWith("BEFORE")
                        && !method.startsWith("AFTER")) {
                    routes.add(method + " " + h.getPath());
                }
            });
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.startup.showJavalinBanner = false;
            // request count and duration by the matched route's template, never the raw path
            cfg.requestLogger.http((ctx, ms) -> {
                var matched = ctx.endpoints().matchedHttpEndpoint();
                metrics.httpRequest(
                        ctx.method().name(),
                        matched == null ? null : matched.path,
                        ctx.status().getCode(),
                        ms);
            });
            cfg.jetty.port = config.port();
            cfg.jetty.host = config.clients().bindAddress();
            Problems.register(cfg.routes, path -> methodsFor(routes, path), notFound);
            cfg.routes.before(Problems::requireJsonBody);
            cfg.routes.beforeMatched(QueryParameters::check);
            // what Jetty refuses before any route runs answers in the API's shape too
            cfg.jetty.modifyServer(server -> {
                server.setErrorHandler(new ProblemErrorHandler());
                server.addBean(new SlowClientGuard(
                        server,
                        config.clients().headerTimeout(),
                        config.clients().bodyTimeout(),
                        config.clients().maxConnectionsPerClient()));
                // a long poll of GET /v1/stream holds its request up to 30 s with no bytes moving:
                // Jetty's default idle timeout (30 s) would cut it at the very end
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        for (var c : server.getConnectors()) {
                            if (c instanceof AbstractConnector a) {
                                a.setIdleTimeout(Math.max(a.getIdleTimeout(), App.STREAM_IDLE_TIMEOUT_MS));
                            }
                            // Jetty's default backlog (0: the JDK's 50) overflows when a burst of
                            // senders connects at once; the refused ones see a reset, not a 503
                            if (c instanceof ServerConnector sc && sc.getAcceptQueueSize() < App.ACCEPT_QUEUE) {
                                sc.setAcceptQueueSize(App.ACCEPT_QUEUE);
                            }
                        }
                    }
                });
            });
            register.accept(cfg.routes);
        });
    }

    /** The methods some route takes for this request path, for a 405's {@code Allow} header. */
    static Set<String> methodsFor(List<String> routes, String path) {
        Set<String> out = new TreeSet<>();
        for (String r : routes) {
            int space = r.indexOf(' ');
            String template = r.substring(space + 1);
            String regex = Arrays.stream(template.split("/", -1))
                    .map(seg -> seg.startsWith("{") && seg.endsWith("}") ? "[^/]+" : Pattern.quote(seg))
                    .collect(Collectors.joining("/"));
            if (path.matches(regex)) {
                out.add(r.substring(0, space));
            }
        }
        return out;
    }
}
