package dev.regent.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactedUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://user:s3cr3t@git.example.com/org/repo.git         | https://user:***@git.example.com/org/repo.git",
            "https://ghp_T0KEN@github.com/org/repo.git                | https://***@github.com/org/repo.git",
            "HTTP://x-access-token:T0KEN@host:8443/r.git              | HTTP://x-access-token:***@host:8443/r.git",
            "https://user:p%40ss@host/r.git                           | https://user:***@host/r.git",
            "https://user:p@ss@host/r.git                             | https://user:***@host/r.git",
            "https://host/r.git?access_token=T0KEN                    | https://host/r.git?access_token=***",
            "https://host/r.git?a=1&private_token=T0KEN#frag          | https://host/r.git?a=***&private_token=***#frag",
            "https://host?token=T0KEN                                 | https://host?token=***",
            "ssh://git:s3cr3t@host:22/org/repo.git                    | ssh://git:***@host:22/org/repo.git",
            "ssh://git@host/org/repo.git                              | ssh://git@host/org/repo.git",
            "deploy:s3cr3t@host:org/repo.git                          | deploy:***@host:org/repo.git",
            "git@github.com:org/repo.git                              | git@github.com:org/repo.git",
            "https://github.com/org/repo.git                          | https://github.com/org/repo.git",
            "file:///srv/git/repo.git                                 | file:///srv/git/repo.git",
            "/srv/git/repo@2.git                                      | /srv/git/repo@2.git",
            "relative/repo                                            | relative/repo",
    })
    void credentialsAreMaskedAndTheRestOfTheUrlStays(String url, String shown) {
        assertThat(RedactedUrl.of(url).shown()).isEqualTo(shown);
        assertThat(RedactedUrl.of(url)).hasToString(shown);
        assertThat(RedactedUrl.of(url).real()).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://user:s3cr3t@host/r.git | s3cr3t",
            "https://s3cr3t@host/r.git      | s3cr3t",
            "https://user:s3%2Fcr3t@host/r  | s3/cr3t",
            "https://host/r?access_token=s3cr3t | s3cr3t",
            "deploy:s3cr3t@host:r.git       | s3cr3t",
    })
    void scrubbingAMessageMasksTheSecretHoweverALibraryQuotedTheUrl(String url, String secret) {
        var redacted = RedactedUrl.of(url);
        String message = "could not fetch main from " + url + ": " + "https://user:" + secret + "@host: not authorized"
                + " (user=" + secret + ", url " + url.replace("https://", "HTTPS://") + ")";

        String scrubbed = redacted.scrub(message);

        assertThat(scrubbed).doesNotContain(secret).contains("could not fetch main from " + redacted.shown());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fetch failed: https://user:s3cr3t@host/r.git: not found | fetch failed: https://user:***@host/r.git: not found",
            "see http://t0ken@host/r and ssh://git:pw@h/r            | see http://***@host/r and ssh://git:***@h/r",
            "no url here                                             | no url here",
    })
    void anyUrlInATextIsRedacted(String text, String scrubbed) {
        assertThat(RedactedUrl.scrubAny(text)).isEqualTo(scrubbed);
    }
}
