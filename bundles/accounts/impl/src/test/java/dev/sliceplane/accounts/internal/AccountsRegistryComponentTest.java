package dev.sliceplane.accounts.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class AccountsRegistryComponentTest {

    @TempDir
    Path data;

    /** H2 makes a missing directory itself, but fails when another thread makes it at the same moment. */
    @Test
    void theEmbeddedDatabasesDirectoryExistsBeforeTheOpenerStarts() throws Exception {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> method.getName().equals("getProperty")
                        && AccountsPaths.DATA_PROPERTY.equals(args[0]) ? data.toString() : null);
        AccountsRegistryComponent.Config defaults = (AccountsRegistryComponent.Config) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AccountsRegistryComponent.Config.class},
                (proxy, method, args) -> method.getDefaultValue());

        new AccountsRegistryComponent(context, defaults, new AuthorityRole());

        assertTrue(Files.isDirectory(data.resolve("accounts")));
    }
}
