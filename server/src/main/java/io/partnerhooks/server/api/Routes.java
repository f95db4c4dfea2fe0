package io.partnerhooks.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The one seam between route groups and Javalin. Groups declare their routes with the access they
 * need; {@link #install} checks every route lies under its access's path space, guards each space
 * that some group uses (an API key for {@code /v1/}, the operator token for {@code /platform/}),
 * then registers the routes. The guard covers the whole space, so an unknown path under
 * {@code /v1/} answers 401 to a caller without a key, as a known one does.
 */
public final class Routes {
    /** Who may call a route. */
    public enum Access {
        /** A partner's API key; routes under {@code /v1/}. */
        PARTNER("/v1/"),
        /** The operator token; routes under {@code /platform/}. */
        OPERATOR("/platform/"),
        /** No credential from the seam (the route checks its own, if any); never under the two spaces above. */
        OPEN(null);

        private final String space;

        Access(String space) {
            this.space = space;
        }

        /** The path prefix this access guards; null for {@link #OPEN}. */
        public String space() {
            return space;
        }

        boolean admits(String path) {
            if (space != null) {
                return path.startsWith(space);
            }
            return !PARTNER.admits(path) && !OPERATOR.admits(path);
        }
    }

    private record Route(Access access, HandlerType method, String path, Handler handler) {}

    private final List<Route> declared = new ArrayList<>();
    private final Scope partner = new Scope(Access.PARTNER);
    private final Scope operator = new Scope(Access.OPERATOR);
    private final Scope open = new Scope(Access.OPEN);

    private Routes() {}

    /**
     * Registers the groups' routes on {@code config}, behind the checks their access needs.
     * {@code auth} may be null when no group has a {@link Access#PARTNER} or {@link Access#OPERATOR} route.
     */
    public static void install(RoutesConfig config, Auth auth, List<? extends RouteGroup> groups) {
        Routes routes = new Routes();
        for (RouteGroup g : groups) {
            g.register(routes);
        }
        Set<Access> used = EnumSet.noneOf(Access.class);
        for (Route r : routes.declared) {
            used.add(r.access());
        }
        if (used.contains(Access.PARTNER)) {
            config.before(Access.PARTNER.space() + "*", guard(auth)::requirePartner);
        }
        if (used.contains(Access.OPERATOR)) {
            config.before(Access.OPERATOR.space() + "*", guard(auth)::requireOperator);
        }
        for (Route r : routes.declared) {
            config.addHttpHandler(r.method(), r.path(), r.handler());
        }
    }

    private static Auth guard(Auth auth) {
        if (auth == null) {
            throw new IllegalStateException("a route group needs authentication, but no Auth was given");
        }
        return auth;
    }

    /** Routes a partner calls with its API key. */
    public Scope partner() {
        return partner;
    }

    /** Routes the platform's services call with the operator token. */
    public Scope operator() {
        return operator;
    }

    /** Routes without a credential checked by the seam (health, docs, the Meta callback, compatibility routes). */
    public Scope open() {
        return open;
    }

    /** The routes of one access. */
    public final class Scope {
        private final Access access;

        private Scope(Access access) {
            this.access = access;
        }

        public Scope get(String path, Handler h) {
            return add(HandlerType.GET, path, h);
        }

        public Scope post(String path, Handler h) {
            return add(HandlerType.POST, path, h);
        }

        public Scope put(String path, Handler h) {
            return add(HandlerType.PUT, path, h);
        }

        public Scope patch(String path, Handler h) {
            return add(HandlerType.PATCH, path, h);
        }

        public Scope delete(String path, Handler h) {
            return add(HandlerType.DELETE, path, h);
        }

        private Scope add(HandlerType method, String path, Handler h) {
            if (!access.admits(path)) {
                throw new IllegalStateException(method + " " + path + " is not in the " + access + " route space");
            }
            declared.add(new Route(access, method, path, h));
            return this;
        }
    }
}
