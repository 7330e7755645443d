package dev.regent.traffic;

import java.util.Optional;

/**
 * One request a build answered, as nginx logged it to deploy/run/traffic/access.log with the
 * {@code regent_traffic} format of conf/nginx/nginx.conf: {@code <msec> <status> <request_time> <server_port> <build>},
 * e.g. {@code 1764337200.123 200 0.004 8080 a}.
 *
 * @param endedMillis when nginx finished the request (epoch milliseconds)
 * @param port the vhost's port: 8080 live, 8081 stage, 8443 HTTPS
 */
public record LoggedRequest(long endedMillis, int status, double seconds, int port, String build) {

    /** Taken on live's ports (8080, 8443), not stage's. A host name spec.site gives stage is served on them too. */
    public boolean servedLive() {
        return port == 8080 || port == 8443;
    }

    public boolean failed() {
        return status >= 500;
    }

    /** "2xx" .. "5xx". */
    public String statusClass() {
        return status / 100 + "xx";
    }

    /**
     * The request a line names; empty for anything else (a line of another format, a cut line).
     * When nginx tried more than one upstream the build field is a list ("a, b"): the last one answered.
     */
    public static Optional<LoggedRequest> parse(String line) {
        String[] fields = line.strip().split(" ", 5);
        if (fields.length < 5) {
            return Optional.empty();
        }
        try {
            long ended = Math.round(Double.parseDouble(fields[0]) * 1000);
            int status = Integer.parseInt(fields[1]);
            double seconds = Double.parseDouble(fields[2]);
            int port = Integer.parseInt(fields[3]);
            String[] builds = fields[4].split(",");
            String build = builds[builds.length - 1].strip();
            if (ended <= 0 || status < 100 || status > 599 || !(seconds >= 0) || Double.isInfinite(seconds)
                    || !build.matches("[a-z]{1,3}")) {
                return Optional.empty();
            }
            return Optional.of(new LoggedRequest(ended, status, seconds, port, build));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
