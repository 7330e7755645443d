#!/bin/sh
# Starts `regent` from a private copy of the project's jar. The jar under /code/target belongs to
# the working tree: bin/regent rebuilds it (mvn package) whenever a source is newer, and a JVM
# whose jar is rewritten under it fails to load its next class (NoClassDefFoundError). The copy is
# taken once, at start, and nothing else ever writes it.
set -eu
jar=/code/target/regent.jar
rm -f /tmp/regent-*.jar /tmp/regent.jar.part
cp "$jar" /tmp/regent.jar.part
copy="/tmp/regent-$(sha256sum /tmp/regent.jar.part | cut -c1-12).jar"
mv /tmp/regent.jar.part "$copy"
echo "[regent] running $copy, a copy of $jar taken at start" >&2
exec java -XX:+UseSerialGC -Xmx256m -jar "$copy" "$@"
