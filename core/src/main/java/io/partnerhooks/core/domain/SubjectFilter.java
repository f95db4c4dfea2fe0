package io.partnerhooks.core.domain;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Narrows a subscription (or a stream read) to events about some subjects (ADR 14): an event
 * passes when its subject's {@code workspace_id}, {@code channel_id} or {@code phone_number} is one
 * of the values listed for it. Lists left empty do not narrow; with all three empty every event
 * passes.
 */
public record SubjectFilter(List<String> workspaceIds, List<String> channelIds, List<String> phoneNumbers) {
    public static final SubjectFilter NONE = new SubjectFilter(List.of(), List.of(), List.of());
    /** The most values one list may hold. */
    public static final int MAX_VALUES = 100;
    /** The most characters one value may have. */
    public static final int MAX_VALUE_LENGTH = 200;

    public static final String WORKSPACE_IDS = "workspace_ids";
    public static final String CHANNEL_IDS = "channel_ids";
    public static final String PHONE_NUMBERS = "phone_numbers";
    public static final List<String> FIELDS = List.of(WORKSPACE_IDS, CHANNEL_IDS, PHONE_NUMBERS);

    public SubjectFilter {
        workspaceIds = workspaceIds == null ? List.of() : List.copyOf(workspaceIds);
        channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
        phoneNumbers = phoneNumbers == null ? List.of() : List.copyOf(phoneNumbers);
    }

    public boolean isEmpty() {
        return workspaceIds.isEmpty() && channelIds.isEmpty() && phoneNumbers.isEmpty();
    }

    /** The values listed under a wire field name ({@link #FIELDS}). */
    public List<String> values(String field) {
        return switch (field) {
            case WORKSPACE_IDS -> workspaceIds;
            case CHANNEL_IDS -> channelIds;
            case PHONE_NUMBERS -> phoneNumbers;
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** Whether an event with these subject ids (each null when the subject lacks it) passes. */
    public boolean matches(String workspaceId, String channelId, String phoneNumber) {
        return isEmpty()
                || (workspaceId != null && workspaceIds.contains(workspaceId))
                || (channelId != null && channelIds.contains(channelId))
                || (phoneNumber != null && phoneNumbers.contains(phoneNumber));
    }

    /** The same, reading the ids from the event's subject (the fields the events table keeps, V7). */
    public boolean matches(JsonNode subject) {
        if (isEmpty()) {
            return true;
        }
        return subject != null
                && matches(
                        id(subject.get("workspace_id")),
                        id(subject.get("channel_id")),
                        id(subject.get("phone_number")));
    }

    private static String id(JsonNode v) {
        return v != null && (v.isTextual() || v.isNumber()) && !v.asText().isEmpty() ? v.asText() : null;
    }

    /** What is wrong with it, each error naming {@code prefix.<field>[i]}. */
    public List<FieldError> problems(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        for (String f : FIELDS) {
            List<String> v = values(f);
            if (v.size() > MAX_VALUES) {
                errors.add(new FieldError(prefix + f, "holds " + v.size() + " values; at most " + MAX_VALUES));
                continue;
            }
            for (int i = 0; i < v.size(); i++) {
                String s = v.get(i);
                if (s == null || s.isBlank()) {
                    errors.add(new FieldError(prefix + f + "[" + i + "]", "must be a non-empty string"));
                } else if (s.length() > MAX_VALUE_LENGTH) {
                    errors.add(new FieldError(
                            prefix + f + "[" + i + "]", "must be at most " + MAX_VALUE_LENGTH + " characters"));
                }
            }
        }
        return errors;
    }
}
