package io.partnerhooks.server.api.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the schema of docs/openapi.yaml that a request or response record puts on the wire, so the
 * drift test can compare the two field by field. The value is one of:
 * <ul>
 *   <li>{@code Endpoint}: a schema under {@code components.schemas};
 *   <li>{@code createEndpoint request}: the JSON request body of an operation (by operationId);
 *   <li>{@code rotateEndpointSecret 200}: the JSON body of one of an operation's answers.
 * </ul>
 * A record may name several (one request record can serve two operations). A record nested in another needs no annotation: it is compared where its parent's schema puts it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ApiSchema {
    String[] value();
}
