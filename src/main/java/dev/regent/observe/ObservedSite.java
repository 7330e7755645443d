package dev.regent.observe;

import java.util.Optional;

/**
 * The site as the host has it: what nginx was last confirmed to load ({@code applied}), and whether
 * deploy/nginx/site.conf exists (it may without a record, after a crash between the two writes).
 */
public record ObservedSite(Optional<SiteApplied> applied, boolean file) {
    public static final ObservedSite NONE = new ObservedSite(Optional.empty(), false);
}
