package dev.regent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/spec/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DesiredState valid(String name) {
        LoadResult result = SpecLoader.load(path(name));
        assertThat(result).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) result).state();
    }

    static List<SpecError> errors(String name) {
        return errorsOf(SpecLoader.load(path(name)));
    }

    static List<SpecError> errorsOf(LoadResult result) {
        assertThat(result).isInstanceOf(LoadResult.Invalid.class);
        List<SpecError> errors = ((LoadResult.Invalid) result).errors();
        assertThat(errors).isNotEmpty();
        return errors;
    }

    static SpecError errorFor(List<SpecError> errors, String field) {
        return errors.stream().filter(e -> e.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + field + " in " + errors));
    }
}
