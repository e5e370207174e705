package io.forwardloop.schemaregistry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forwardloop.schemas.compat.CompatibilityChecker;
import io.forwardloop.schemas.compat.CompatibilityLevel;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state: global schema ids, the versions of each subject and the compatibility
 * levels, kept in memory and written ahead to an optional {@link Journal}.
 *
 * <p>Schemas are stored in Avro's normalised JSON ({@link Schema#toString()}), so the same schema
 * written with other whitespace or key order gets the same id. A schema keeps one global id across
 * subjects. Every method is synchronized: the registry is small and writes are rare.
 *
 * <p>A new schema gets one more than the highest id the store has seen. A journal line that cannot
 * be read or applied may have held an id, so replay counts it as holding one id above the highest
 * seen before it, or the largest id number still legible in its text if that is higher: an id once
 * handed out is never handed out again, at the cost of a gap after a damaged line.
 */
public final class SchemaStore implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);
    private static final Pattern ID_FIELD = Pattern.compile("\"id\"\\s*:\\s*(\\d{1,10})");

    /** One version of a subject; {@code deleted} marks a soft-deleted version. */
    public record Version(String subject, int version, int id, boolean deleted) {}

    private final ObjectMapper mapper;
    private final Journal journal;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final CompatibilityLevel defaultLevel;
    private CompatibilityLevel globalLevel;
    private int highestId;

    private SchemaStore(ObjectMapper mapper, Journal journal, CompatibilityLevel defaultLevel) {
        this.mapper = mapper;
        this.journal = journal;
        this.defaultLevel = defaultLevel;
        this.globalLevel = defaultLevel;
    }

    /** A store that keeps nothing across restarts. */
    public static SchemaStore inMemory(ObjectMapper mapper, CompatibilityLevel defaultLevel) {
        return new SchemaStore(mapper, null, defaultLevel);
    }

    /** A store that replays and then appends to the journal in {@code dataDir}. */
    public static SchemaStore persistent(
            ObjectMapper mapper, java.nio.file.Path dataDir, CompatibilityLevel defaultLevel) {
        Journal journal = Journal.open(dataDir, mapper);
        SchemaStore store = new SchemaStore(mapper, journal, defaultLevel);
        List<Journal.Entry> entries = journal.replay();
        entries.forEach(store::replay);
        LOG.info(
                "Schema registry journal in {} replayed: {} entries, {} schemas, {} subjects,"
                        + " next id {}",
                dataDir,
                entries.size(),
                store.schemasById.size(),
                store.subjects.size(),
                store.nextId());
        return store;
    }

    // ---- registration and lookup

    /** Registers {@code schemaText} under {@code subject}; returns the existing version if any. */
    public synchronized Version register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String text = schema.toString();
        Optional<Version> existing = liveVersionOf(subject, text);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> problems =
                CompatibilityChecker.check(schema, liveSchemas(subject), levelOf(subject));
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible(subject, problems);
        }
        int id = idsByText.getOrDefault(text, nextId());
        int version = allVersions(subject).stream().mapToInt(Version::version).max().orElse(0) + 1;
        ObjectNode entry = mapper.createObjectNode().put("type", "schema").put("subject", subject);
        write(entry.put("version", version).put("id", id).put("schema", text));
        LOG.debug("Registered subject {} version {} as schema id {}", subject, version, id);
        return liveVersionOf(subject, text).orElseThrow();
    }

    /** The live version of {@code subject} whose schema equals {@code schemaText}. */
    public synchronized Version lookup(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        if (liveVersions(subject).isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return liveVersionOf(subject, schema.toString())
                .orElseThrow(
                        () ->
                                RegistryError.schemaNotFound(
                                        "Schema not found under subject '" + subject + "'."));
    }

    /** The schema with global id {@code id}. */
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryError.schemaNotFound("Schema " + id + " not found");
        }
        return schema;
    }

    /** The subject versions that use global id {@code id}. */
    public synchronized List<Version> versionsOfId(int id) {
        schemaById(id);
        List<Version> uses = new ArrayList<>();
        subjects.values()
                .forEach(
                        vs ->
                                vs.stream()
                                        .filter(v -> v.id() == id && !v.deleted())
                                        .forEach(uses::add));
        return uses;
    }

    /** Subject names, sorted; soft-deleted ones only when {@code includeDeleted}. */
    public synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.keySet().stream()
                .filter(s -> includeDeleted || !liveVersions(s).isEmpty())
                .toList();
    }

    /** The version numbers of {@code subject}, oldest first. */
    public synchronized List<Integer> versions(String subject, boolean includeDeleted) {
        List<Version> versions = includeDeleted ? allVersions(subject) : liveVersions(subject);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions.stream().map(Version::version).toList();
    }

    /** The version named by {@code spec} ("latest", "-1" or a number) of {@code subject}. */
    public synchronized Version version(String subject, String spec, boolean includeDeleted) {
        int wanted = parseVersion(spec);
        List<Version> versions = includeDeleted ? allVersions(subject) : liveVersions(subject);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream()
                .filter(v -> v.version() == wanted)
                .findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, wanted));
    }

    /** Soft-deletes every version of {@code subject} and returns their numbers. */
    public synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> deleted = versions(subject, false);
        write(mapper.createObjectNode().put("type", "delete-subject").put("subject", subject));
        LOG.debug("Soft-deleted subject {} versions {}", subject, deleted);
        return deleted;
    }

    // ---- compatibility

    /**
     * The reasons {@code schemaText} could not follow version {@code spec} of {@code subject}; an
     * empty list means compatible. A missing subject with "latest" is compatible, as in Confluent's
     * registry.
     */
    public synchronized List<String> checkCompatibility(
            String subject, String spec, String schemaText) {
        Schema candidate = parse(schemaText);
        int wanted = parseVersion(spec);
        if (wanted == -1 && liveVersions(subject).isEmpty()) {
            return List.of();
        }
        Schema against = schemaById(version(subject, spec, false).id());
        return CompatibilityChecker.check(candidate, List.of(against), levelOf(subject));
    }

    /** The reasons {@code schemaText} could not be registered under {@code subject} now. */
    public synchronized List<String> checkCompatibilityWithAll(String subject, String schemaText) {
        return CompatibilityChecker.check(
                parse(schemaText), liveSchemas(subject), levelOf(subject));
    }

    public synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /**
     * Sets the level of {@code subject}, or the global level when {@code subject} is null; a null
     * {@code level} removes the subject's own level, or returns the global one to the default.
     */
    public synchronized void setLevel(String subject, CompatibilityLevel level) {
        ObjectNode entry = mapper.createObjectNode().put("type", "config").put("subject", subject);
        write(entry.put("compatibility", level == null ? null : level.name()));
        String now =
                level != null
                        ? level.name()
                        : subject == null ? globalLevel + " (the default)" : "the global level";
        LOG.info("Compatibility of {} set to {}", subject == null ? "the registry" : subject, now);
    }

    // ---- state changes, shared by live writes and journal replay

    private void write(ObjectNode entry) {
        if (journal != null) {
            journal.append(entry);
        }
        apply(entry);
    }

    private void replay(Journal.Entry entry) {
        if (!entry.readable()) {
            reserveIdsOf(entry);
            return;
        }
        try {
            apply(entry.json());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Ignoring schema registry journal line {} that cannot be applied: {}",
                    entry.line(),
                    entry.json(),
                    e);
            reserveIdsOf(entry);
        }
    }

    /** Keeps every id a skipped line may have held out of use (see the class comment). */
    private void reserveIdsOf(Journal.Entry entry) {
        int before = highestId;
        highestId = Math.max(highestId + 1, legibleId(entry.text()));
        LOG.warn(
                "Schema registry journal line {} was skipped; ids up to {} are held back (highest"
                        + " before it: {})",
                entry.line(),
                highestId,
                before);
    }

    private static int legibleId(String text) {
        Matcher ids = ID_FIELD.matcher(text);
        long highest = 0;
        while (ids.find()) {
            highest = Math.max(highest, Long.parseLong(ids.group(1)));
        }
        return (int) Math.min(highest, Integer.MAX_VALUE - 1);
    }

    private void apply(JsonNode entry) {
        switch (entry.path("type").asText()) {
            case "schema" -> applySchema(entry);
            case "delete-subject" -> applyDelete(entry.path("subject").asText());
            case "config" -> applyConfig(entry);
            default -> LOG.warn("Ignoring journal entry of unknown type: {}", entry);
        }
    }

    private void applySchema(JsonNode entry) {
        JsonNode idField = entry.path("id");
        if (!idField.canConvertToInt() || idField.intValue() < 1) {
            throw new IllegalArgumentException("schema entry without a valid id: " + entry);
        }
        int id = idField.intValue();
        highestId = Math.max(highestId, id);
        String subject = entry.path("subject").asText();
        Schema schema = new Schema.Parser().parse(entry.path("schema").asText());
        schemasById.putIfAbsent(id, schema);
        idsByText.putIfAbsent(schema.toString(), id);
        Version version = new Version(subject, entry.path("version").asInt(), id, false);
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(version);
    }

    private void applyDelete(String subject) {
        subjects.computeIfPresent(
                subject,
                (s, versions) ->
                        new ArrayList<>(
                                versions.stream()
                                        .map(v -> new Version(s, v.version(), v.id(), true))
                                        .toList()));
    }

    private void applyConfig(JsonNode entry) {
        JsonNode subject = entry.path("subject");
        JsonNode level = entry.path("compatibility");
        CompatibilityLevel parsed =
                level.isTextual() ? CompatibilityLevel.parse(level.asText()) : null;
        if (!subject.isTextual()) {
            globalLevel = parsed == null ? defaultLevel : parsed;
        } else if (parsed == null) {
            subjectLevels.remove(subject.asText());
        } else {
            subjectLevels.put(subject.asText(), parsed);
        }
    }

    // ---- helpers

    /**
     * One more than the highest id seen, counting those a skipped journal line may have held, so
     * ids stay unique even past a damaged entry.
     */
    private int nextId() {
        return highestId + 1;
    }

    private CompatibilityLevel levelOf(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<Version> allVersions(String subject) {
        return subjects.getOrDefault(subject, List.of());
    }

    private List<Version> liveVersions(String subject) {
        return allVersions(subject).stream().filter(v -> !v.deleted()).toList();
    }

    private List<Schema> liveSchemas(String subject) {
        return liveVersions(subject).stream().map(v -> schemasById.get(v.id())).toList();
    }

    private Optional<Version> liveVersionOf(String subject, String text) {
        Integer id = idsByText.get(text);
        return liveVersions(subject).stream().filter(v -> id != null && v.id() == id).findFirst();
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryError.invalidSchema("Invalid schema: the request has no schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (AvroRuntimeException | NullPointerException e) {
            throw RegistryError.invalidSchema(
                    "Invalid schema " + schemaText + ": " + e.getMessage());
        }
    }

    /** -1 for "latest" (or "-1"), otherwise a positive version number. */
    private static int parseVersion(String spec) {
        if ("latest".equals(spec) || "-1".equals(spec)) {
            return -1;
        }
        try {
            int version = Integer.parseInt(spec);
            if (version < 1) {
                throw RegistryError.invalidVersion(spec);
            }
            return version;
        } catch (NumberFormatException e) {
            throw RegistryError.invalidVersion(spec);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }
}
