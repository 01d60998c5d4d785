package dev.anycastd.daemon.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code message},
 * then each key-value as a field (numbers, booleans and lists keep their JSON type), and
 * {@code exception} with the stack trace when there is one. A key-value named like one of the
 * fixed fields gets a {@code _} appended rather than hiding it.
 */
final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            Set<String> names = new HashSet<>();
            json.writeStartObject();
            field(json, names, "timestamp", LogLine.timestamp(event));
            field(json, names, "level", LogLine.level(event));
            field(json, names, "logger", event.getLoggerName());
            field(json, names, "message", event.getFormattedMessage());
            String exception = LogLine.exception(event);
            if (exception != null) {
                field(json, names, "exception", exception);
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    String name = pair.key;
                    while (!names.add(name)) {
                        name = name + "_";
                    }
                    json.writeFieldName(name);
                    value(json, pair.value);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail; Jackson declares it anyway.
            throw new UncheckedIOException(e);
        }
        return text.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static void field(JsonGenerator json, Set<String> names, String name, String value) throws IOException {
        names.add(name);
        json.writeStringField(name, value);
    }

    private static void value(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger number) {
            json.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            json.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Collection<?> items) {
            json.writeStartArray();
            for (Object item : items) {
                value(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                value(json, entry.getValue());
            }
            json.writeEndObject();
        } else {
            json.writeString(value.toString());
        }
    }
}
