package dev.anycastd.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.anycastd.core.prefix.PrefixRecord;
import dev.anycastd.core.runtime.Drain;
import dev.anycastd.core.runtime.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The daemon's {@link StateStore}: files in its state directory ({@code /var/lib/anycastd} by
 * default, systemd's {@code StateDirectory=}). {@code announced.json} holds the prefixes anycastd
 * may have announced, {@code drains.json} the services the operator drained; each write goes to
 * a temporary file that is synced and renamed over the old one, then the directory is synced, so
 * a crash leaves the old record or the new one, never half of one.
 */
final class StateDirectory implements StateStore {

    static final String ANNOUNCED = "announced.json";
    static final String DRAINS = "drains.json";
    private static final int VERSION = 1;
    /** Far above any real record (some 200 bytes a prefix); a bigger file is not ours. */
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final Path directory;

    private StateDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * The state directory, created if missing (its parent must exist).
     *
     * @throws IOException when it cannot be created or is not a writable directory
     */
    static StateDirectory open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectory(directory);
        }
        if (!Files.isWritable(directory)) {
            throw new IOException(directory + " is not writable");
        }
        return new StateDirectory(directory);
    }

    Path directory() {
        return directory;
    }

    @Override
    public Set<PrefixRecord> announced() throws IOException {
        Path file = directory.resolve(ANNOUNCED);
        byte[] bytes = read(file);
        if (bytes == null) {
            return Set.of();
        }
        try (JsonParser parser = JSON.createParser(bytes)) {
            return parse(parser);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a record of announced prefixes: " + e.getMessage(), e);
        }
    }

    /** The file's bytes, or {@code null} when it does not exist. */
    private static byte[] read(Path file) throws IOException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes; it is not a record of anycastd's");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public Map<String, Drain> drains() throws IOException {
        Path file = directory.resolve(DRAINS);
        byte[] bytes = read(file);
        if (bytes == null) {
            return Map.of();
        }
        try (JsonParser parser = JSON.createParser(bytes)) {
            return parseDrains(parser);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a record of drains: " + e.getMessage(), e);
        }
    }

    private static Map<String, Drain> parseDrains(JsonParser parser) throws IOException {
        Map<String, Drain> drains = new LinkedHashMap<>();
        readDocument(parser, "drains", item -> {
            expect(item.currentToken(), JsonToken.START_OBJECT, item);
            Map<String, String> fields = new LinkedHashMap<>();
            while (item.nextToken() == JsonToken.FIELD_NAME) {
                String key = item.currentName();
                expect(item.nextToken(), JsonToken.VALUE_STRING, item);
                fields.put(key, item.getText());
            }
            String service = fields.get("service");
            String since = fields.get("since");
            if (service == null || since == null) {
                throw new IOException("a drain without \"service\" or \"since\" at " + item.currentLocation().offsetDescription());
            }
            try {
                drains.put(service, new Drain(fields.getOrDefault("reason", ""), Instant.parse(since),
                        Optional.ofNullable(fields.get("until")).map(Instant::parse)));
            } catch (DateTimeParseException e) {
                throw new IOException("a drain of \"" + service + "\" with a time that is not ISO-8601: " + e.getParsedString(), e);
            }
        });
        return drains;
    }

    /** Reads one element of a document's array. */
    @FunctionalInterface
    private interface ItemReader {
        void read(JsonParser parser) throws IOException;
    }

    /**
     * Reads a document of this directory, {@code {"version": 1, "FIELD": [item, ...]}}: refuses
     * another version, hands each item of {@code field} to {@code item}, and skips other fields.
     */
    private static void readDocument(JsonParser parser, String field, ItemReader item) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("version")) {
                if (value != JsonToken.VALUE_NUMBER_INT || parser.getIntValue() != VERSION) {
                    throw new IOException("unknown version " + parser.getText() + "; this anycastd reads version " + VERSION);
                }
            } else if (name.equals(field)) {
                expect(value, JsonToken.START_ARRAY, parser);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    item.read(parser);
                }
            } else {
                parser.skipChildren();
            }
        }
    }

    @Override
    public void recordDrains(Map<String, Drain> drains) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeArrayFieldStart("drains");
            for (Map.Entry<String, Drain> drain : new TreeMap<>(drains).entrySet()) {
                json.writeStartObject();
                json.writeStringField("service", drain.getKey());
                json.writeStringField("reason", drain.getValue().reason());
                json.writeStringField("since", drain.getValue().since().toString());
                if (drain.getValue().until().isPresent()) {
                    json.writeStringField("until", drain.getValue().until().get().toString());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        bytes.write('\n');
        replace(DRAINS, bytes.toByteArray());
    }

    private static Set<PrefixRecord> parse(JsonParser parser) throws IOException {
        Set<PrefixRecord> records = new HashSet<>();
        readDocument(parser, "announced", item -> records.add(record(item)));
        return records;
    }

    private static PrefixRecord record(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        String type = null;
        Map<String, String> options = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("type")) {
                expect(value, JsonToken.VALUE_STRING, parser);
                type = parser.getText();
            } else if (field.equals("options")) {
                expect(value, JsonToken.START_OBJECT, parser);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    expect(parser.nextToken(), JsonToken.VALUE_STRING, parser);
                    options.put(key, parser.getText());
                }
            } else {
                parser.skipChildren();
            }
        }
        if (type == null) {
            throw new IOException("a prefix without a \"type\" at " + parser.currentLocation().offsetDescription());
        }
        return new PrefixRecord(type, options);
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected.asString() + " at " + parser.currentLocation().offsetDescription()
                    + ", got " + actual);
        }
    }

    @Override
    public void recordAnnounced(Set<PrefixRecord> prefixes) throws IOException {
        List<PrefixRecord> sorted = prefixes.stream()
                .sorted(Comparator.comparing(PrefixRecord::type).thenComparing(record -> record.options().toString())).toList();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeArrayFieldStart("announced");
            for (PrefixRecord record : sorted) {
                json.writeStartObject();
                json.writeStringField("type", record.type());
                json.writeObjectFieldStart("options");
                for (Map.Entry<String, String> option : record.options().entrySet()) {
                    json.writeStringField(option.getKey(), option.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        bytes.write('\n');
        replace(ANNOUNCED, bytes.toByteArray());
    }

    /** Writes {@code name} atomically: a synced temporary file renamed over it, then the directory synced. */
    private void replace(String name, byte[] content) throws IOException {
        Path file = directory.resolve(name);
        Path temporary = directory.resolve(name + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        }
        try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryChannel.force(true);
        }
    }
}
