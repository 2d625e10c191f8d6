package dev.sliceplane.accounts.internal.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sliceplane.accounts.internal.AccountsPaths;
import dev.sliceplane.accounts.api.Credentials;
import dev.sliceplane.accounts.api.NewApiKey;
import dev.sliceplane.accounts.api.Principal;
import dev.sliceplane.accounts.api.PrincipalFilter;
import dev.sliceplane.accounts.api.Registry;
import dev.sliceplane.accounts.api.RegistryException;
import dev.sliceplane.accounts.api.Role;
import dev.sliceplane.accounts.api.Site;

/**
 * Gives a fresh authority its first administrator, so that someone can call the API at all:
 * when the registry has no administrator, it adds the configured site and principal and writes an
 * API key for them to {@code <data>/accounts/admin-api-key}, readable by the owner only. Never
 * touches a registry that has an administrator already.
 */
@Component(configurationPid = "dev.sliceplane.accounts.bootstrap")
@Designate(ocd = AdminBootstrap.Config.class)
public final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    /** Name of the file, under the accounts data directory, that holds the first administrator's API key. */
    public static final String KEY_FILE = "admin-api-key";

    @ObjectClassDefinition(name = "Sliceplane first administrator",
            description = "Who is made administrator when the registry has none.")
    public @interface Config {
        @AttributeDefinition(description = "The administrator's e-mail address (their login).")
        String email() default "admin@sliceplane.local";

        @AttributeDefinition(description = "Login base of the site the administrator belongs to; created if missing.")
        String site() default "local";

        @AttributeDefinition(description = "Full name of that site.")
        String siteName() default "This authority";
    }

    @Activate
    public AdminBootstrap(BundleContext context, @Reference Registry registry, @Reference Credentials credentials,
            Config config) {
        ensureAdministrator(registry, credentials, config, AccountsPaths.accountsDirectory(context).resolve(KEY_FILE));
    }

    static void ensureAdministrator(Registry registry, Credentials credentials, Config config, Path keyFile) {
        try {
            if (!registry.listPrincipals(new PrincipalFilter(null, Role.ADMIN)).isEmpty()) {
                return;
            }
            addSiteIfMissing(registry, config);
            Principal admin = registry.addPrincipal(
                    new Principal(config.email(), "Administrator", config.site(), Set.of(Role.ADMIN), true));
            NewApiKey key = credentials.createApiKey(admin.email());
            PrivateFiles.write(keyFile, (key.secret() + "\n").getBytes(StandardCharsets.US_ASCII));
            LOG.info("Created the administrator {}; their API key is in {}", admin.email(), keyFile);
        } catch (RegistryException | IOException e) {
            LOG.error("could not create the first administrator {}: {}", config.email(), e.getMessage());
        }
    }

    private static void addSiteIfMissing(Registry registry, Config config) {
        try {
            registry.getSite(config.site());
        } catch (RegistryException e) {
            if (e.reason() != RegistryException.Reason.NOT_FOUND) {
                throw e;
            }
            try {
                registry.addSite(new Site(config.site(), config.siteName(), "", Site.MAX_SLICES_LIMIT));
            } catch (RegistryException raced) {
                // The authority's own node (OwnNode) may make the same site at the same moment.
                if (raced.reason() != RegistryException.Reason.ALREADY_EXISTS) {
                    throw raced;
                }
            }
        }
    }
}
