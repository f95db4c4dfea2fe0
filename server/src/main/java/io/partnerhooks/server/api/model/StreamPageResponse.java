package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.util.RawValue;
import io.partnerhooks.core.delivery.StandardFormat;
import io.partnerhooks.core.usecase.ReadStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A page of the pull stream. Each event is its standard envelope written as it is, byte for byte
 * what a standard-format delivery carries (so subject and data keep the form they were accepted in).
 */
@ApiSchema("readStream 200")
public record StreamPageResponse(List<RawValue> data, String nextCursor) {
    public static StreamPageResponse of(ReadStream.Page page) {
        List<RawValue> data = page.events().stream()
                .map(e -> new RawValue(
                        new SerializedString(new String(StandardFormat.render(e), StandardCharsets.UTF_8))))
                .toList();
        return new StreamPageResponse(data, page.nextCursor());
    }
}
