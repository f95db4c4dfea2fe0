package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EntityStore.Emission;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What every fact shares: emitting its event to the partner's endpoints, waking the dispatcher, the JSON. */
final class FactEvents {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Emitter emitter;
    private final Runnable wake;

    FactEvents(IdGenerator ids, Runnable wake) {
        this.emitter = new Emitter(ids);
        this.wake = wake;
    }

    void wake() {
        wake.run();
    }

    Emission emission(
            PartnerId partner,
            String type,
            Map<String, String> subject,
            String subjectKey,
            ObjectNode data,
            List<Endpoint> subscribers,
            Instant now) {
        Emitter.Emitted e = emitter.emit(
                partner, type, text(JSON.valueToTree(subject)), subjectKey, text(data), now, null, subscribers);
        return new Emission(e.event(), e.deliveries());
    }

    RecordFacts.Recorded done(ObjectNode state, List<Event> events) {
        if (!events.isEmpty()) {
            wake.run();
        }
        return new RecordFacts.Recorded(state, events);
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored state is unreadable", e);
        }
    }

    static String text(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
