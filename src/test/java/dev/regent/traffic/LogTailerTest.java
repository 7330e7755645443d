package dev.regent.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tailer on a real folder, the file written as nginx writes it (appends of whole buffers). */
class LogTailerTest {
    @TempDir
    Path folder;
    Path log;
    LogTailer tailer;

    LogTailer tailer(int maxBytes) {
        log = folder.resolve("access.log");
        tailer = new LogTailer(log, maxBytes);
        return tailer;
    }

    @AfterEach
    void close() throws IOException {
        if (tailer != null) {
            tailer.close();
        }
    }

    void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsOnlyWhatWasAppendedSinceTheLastPoll() throws IOException {
        tailer(1024);
        assertThat(tailer.poll()).as("no file yet").isEmpty();
        append(log, "one\ntwo\n");
        assertThat(tailer.poll()).containsExactly("one", "two");
        assertThat(tailer.poll()).isEmpty();

        append(log, "three\n");

        assertThat(tailer.poll()).containsExactly("three");
    }

    @Test
    void keepsAPartialLastLineUntilItsNewlineArrives() throws IOException {
        tailer(1024);
        append(log, "one\ntw");
        assertThat(tailer.poll()).containsExactly("one");

        append(log, "o\nthr");
        assertThat(tailer.poll()).containsExactly("two");
        append(log, "ee\n");

        assertThat(tailer.poll()).containsExactly("three");
    }

    @Test
    void readsAtMostItsBoundPerPollAndTheRestLater() throws IOException {
        tailer(10);
        append(log, "aaaa\nbbbb\ncccc\ndddd\n");

        assertThat(tailer.poll()).containsExactly("aaaa", "bbbb");
        assertThat(tailer.poll()).containsExactly("cccc", "dddd");
        assertThat(tailer.poll()).isEmpty();
    }

    @Test
    void startsOverWhenTheFileIsTruncated() throws IOException {
        tailer(1024);
        append(log, "one\ntwo\n");
        assertThat(tailer.poll()).containsExactly("one", "two");

        Files.writeString(log, "new\n");

        assertThat(tailer.poll()).containsExactly("new");
    }

    @Test
    void afterARotationReadsTheOldFileToItsEndThenTheNewOneFromItsStart() throws IOException {
        tailer(1024);
        append(log, "one\n");
        assertThat(tailer.poll()).containsExactly("one");

        Path rotated = folder.resolve("access.log.1");
        Files.move(log, rotated, StandardCopyOption.ATOMIC_MOVE);
        // nginx goes on writing to the renamed file until it has reopened its logs.
        append(rotated, "two\n");
        assertThat(tailer.poll()).as("renamed, no new file yet").containsExactly("two");
        append(rotated, "three\n");
        append(log, "four\n");

        assertThat(tailer.poll()).containsExactly("three", "four");
        append(rotated, "lost\n");
        append(log, "five\n");
        assertThat(tailer.poll()).as("the old file is left once the new one is followed").containsExactly("five");
    }

    @Test
    void aReplacedFileIsReadFromItsStartEvenWhenLongerThanTheOldOne() throws IOException {
        tailer(1024);
        append(log, "one\n");
        assertThat(tailer.poll()).containsExactly("one");

        Path other = folder.resolve("other.log");
        append(other, "x1\nx2\nx3\n");
        Files.move(other, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(tailer.poll()).containsExactly("x1", "x2", "x3");
    }

    @Test
    void aRotationOfAFileNotReadToItsEndFinishesItWithinTheBoundFirst() throws IOException {
        tailer(10);
        append(log, "aaaa\nbbbb\ncccc\n");
        assertThat(tailer.poll()).containsExactly("aaaa", "bbbb");
        Files.move(log, folder.resolve("access.log.1"), StandardCopyOption.REPLACE_EXISTING);
        append(log, "dddd\neeee\n");

        assertThat(tailer.poll()).as("5 bytes left of the old file, 5 of the new").containsExactly("cccc", "dddd");
        assertThat(tailer.poll()).containsExactly("eeee");
    }

    @Test
    void aCutLineIsNotCarriedIntoTheNewFile() throws IOException {
        tailer(1024);
        append(log, "one\ncut");
        assertThat(tailer.poll()).containsExactly("one");
        Files.move(log, folder.resolve("access.log.1"), StandardCopyOption.REPLACE_EXISTING);
        append(log, "two\n");

        assertThat(tailer.poll()).containsExactly("two");
    }
}
