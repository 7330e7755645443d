package dev.regent.observe;

import dev.regent.fs.FileRead;
import dev.regent.fs.HostFiles;
import dev.regent.fs.HostLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files that say which builds hold a role: the {@code _live} and {@code _stage} links and
 * nginx's confirmed config. {@code unreadable} names each that exists but could not be read, with
 * the error; its value is then empty, which must never be taken for "no role".
 */
public record RoleFiles(Optional<String> live, Optional<String> stage, Optional<NginxApplied> nginx,
                        List<String> unreadable) {

    public static RoleFiles read(HostLayout layout) {
        var unreadable = new ArrayList<String>();
        var live = HostFiles.readLinkStrictly(layout.role(HostLayout.LIVE));
        var stage = HostFiles.readLinkStrictly(layout.role(HostLayout.STAGE));
        var nginx = HostFiles.read(layout.nginxApplied(), NginxApplied.class);
        for (FileRead<?> read : List.of(live, stage, nginx)) {
            read.unreadable().ifPresent(u -> unreadable.add(u.describe(layout.root())));
        }
        return new RoleFiles(live.orAbsent(), stage.orAbsent(), nginx.orAbsent(), List.copyOf(unreadable));
    }
}
