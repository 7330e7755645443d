package dev.regent.migrate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * One operation of a pending migration as regent_migrations.py describes it: Django's class name
 * ({@code type}) and the facts the checker reads. {@code nullable} is the field's null after the
 * operation, {@code wasNull} its null before (AlterField only, when the helper could tell);
 * {@code dbDefault} is a default the database keeps (Django 5's db_default), unlike {@code
 * hasDefault}, which Django 4.2 drops right after adding the column.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationOperation(
        String type,
        Optional<String> model,
        Optional<String> field,
        @JsonProperty("null") Optional<Boolean> nullable,
        boolean hasDefault,
        boolean dbDefault,
        boolean manyToMany,
        Optional<Boolean> wasNull,
        Optional<String> oldName,
        Optional<String> newName,
        Optional<String> sql) {

    public static MigrationOperation of(String type) {
        return new MigrationOperation(type, Optional.empty(), Optional.empty(), Optional.empty(), false, false, false,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public MigrationOperation on(String model, String field) {
        return new MigrationOperation(type, Optional.of(model), Optional.ofNullable(field), nullable, hasDefault, dbDefault,
                manyToMany, wasNull, oldName, newName, sql);
    }

    public MigrationOperation withNull(boolean isNull, boolean hasDefault, boolean dbDefault) {
        return new MigrationOperation(type, model, field, Optional.of(isNull), hasDefault, dbDefault, manyToMany,
                wasNull, oldName, newName, sql);
    }

    public MigrationOperation withWasNull(boolean was) {
        return new MigrationOperation(type, model, field, nullable, hasDefault, dbDefault, manyToMany,
                Optional.of(was), oldName, newName, sql);
    }

    public MigrationOperation asManyToMany() {
        return new MigrationOperation(type, model, field, nullable, hasDefault, dbDefault, true, wasNull, oldName,
                newName, sql);
    }

    public MigrationOperation withNames(String from, String to) {
        return new MigrationOperation(type, model, field, nullable, hasDefault, dbDefault, manyToMany, wasNull,
                Optional.of(from), Optional.of(to), sql);
    }

    public MigrationOperation withSql(String text) {
        return new MigrationOperation(type, model, field, nullable, hasDefault, dbDefault, manyToMany, wasNull,
                oldName, newName, Optional.of(text));
    }

    /** Reads as "RemoveField pages.note.body". */
    public String describe() {
        return type + model.map(m -> " " + m).orElse("") + field.map(f -> "." + f).orElse("")
                + oldName.map(o -> " " + o + " -> " + newName.orElse("?")).orElse("");
    }
}
