package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.partnerhooks.server.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The committed OpenAPI document and the routes the server registers must agree, both ways. */
class OpenApiDriftTest extends AppTestBase {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");

    @Override
    protected String databaseUrl() {
        return "";
    }

    static Path document() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/openapi.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/openapi.yaml above the working directory").isNotNull();
        return dir.resolve("docs/openapi.yaml");
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(document().toFile());
        assertThat(doc.get("openapi").asText()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                documented.add(m.toUpperCase() + " " + path.getKey());
            }
        }));
        Set<String> served = new TreeSet<>(app.routes());
        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(served);
        assertThat(undocumented).as("routes the server has but docs/openapi.yaml lacks").isEmpty();
        assertThat(missing).as("routes docs/openapi.yaml describes but the server lacks").isEmpty();
        // every operation says who may call it, and every $ref resolves
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey()) && path.getKey().matches("/(v1|platform)/.*")) {
                assertThat(op.getValue().has("security")).as(op.getKey() + " " + path.getKey() + " security").isTrue();
            }
        }));
        Set<String> refs = new TreeSet<>();
        collectRefs(doc, refs);
        for (String ref : refs) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("$ref " + ref).isFalse();
        }
    }

    @Test
    void theServerServesTheCommittedDocument() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Files.readAllBytes(document()));
        assertThat(new Api(app.port()).get("/openapi.yaml", null).contentType()).startsWith("application/yaml");
    }

    private static void collectRefs(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }
}
